package dev.idempotency.sample.benchmark;

import java.util.concurrent.atomic.AtomicLong;

import dev.idempotency.Idempotent;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A handler that does next to nothing (a small JSON body in, {@code 201} with a small
 * JSON body out, no database), twice: with {@code @Idempotent} and without. The
 * difference between the two is the starter's own cost, which the payments endpoints hide
 * behind their database work. Off unless
 * {@code payments.benchmark-endpoints.enabled=true}; never enable it in production.
 */
@RestController
@RequestMapping(BenchmarkTrivialController.PATH)
@ConditionalOnBooleanProperty("payments.benchmark-endpoints.enabled")
class BenchmarkTrivialController {

	static final String PATH = "/api/v1/benchmark/trivial";

	private final AtomicLong ids = new AtomicLong();

	/** {@code POST /api/v1/benchmark/trivial}: idempotent. */
	@PostMapping
	@Idempotent
	ResponseEntity<TrivialResponse> idempotent(@RequestBody TrivialRequest request) {
		return created(request);
	}

	/** {@code POST /api/v1/benchmark/trivial/plain}: the same, without the starter. */
	@PostMapping("/plain")
	ResponseEntity<TrivialResponse> plain(@RequestBody TrivialRequest request) {
		return created(request);
	}

	private ResponseEntity<TrivialResponse> created(TrivialRequest request) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new TrivialResponse("t_" + ids.incrementAndGet(), request.amount(), request.currency(), "ok"));
	}

	record TrivialRequest(long amount, String currency, String customerId, String description) {
	}

	record TrivialResponse(String id, long amount, String currency, String status) {
	}

}
