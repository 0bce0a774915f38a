package dev.idempotency.sample.benchmark;

import java.net.URI;
import java.security.Principal;

import dev.idempotency.Atomicity;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.Idempotent;
import dev.idempotency.sample.payment.CreatePaymentRequest;
import dev.idempotency.sample.payment.Payment;
import dev.idempotency.sample.payment.PaymentResponse;
import dev.idempotency.sample.payment.PaymentService;
import dev.idempotency.sample.security.Merchant;
import dev.idempotency.web.PrincipalScopeResolver;
import jakarta.validation.Valid;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of the benchmark: the same handler as {@code POST /api/v1/payments} and
 * the same {@link PaymentService} call, but without {@code @Idempotent}. The key the
 * service needs is built here from the {@code Idempotency-Key} header the way the starter
 * would build it, so both endpoints do the same work apart from the starter's. Beside it,
 * {@code POST .../separate}: the same handler with {@code @Idempotent} whose key and
 * response commit apart from the payment, whatever {@code idempotency.atomicity} says, so
 * that one run measures both modes. Off unless
 * {@code payments.benchmark-endpoints.enabled=true}; never enable it in production.
 */
@RestController
@RequestMapping(BenchmarkPaymentController.PATH)
@ConditionalOnBooleanProperty("payments.benchmark-endpoints.enabled")
class BenchmarkPaymentController {

	static final String PATH = "/api/v1/benchmark/payments";

	private final PaymentService service;

	BenchmarkPaymentController(PaymentService service) {
		this.service = service;
	}

	@PostMapping
	ResponseEntity<PaymentResponse> create(@AuthenticationPrincipal Merchant merchant, Principal principal,
			@Valid @RequestBody CreatePaymentRequest request, @RequestHeader("Idempotency-Key") String clientKey) {
		IdempotencyKey key = new IdempotencyKey(PrincipalScopeResolver.scope(principal), "POST " + PATH, clientKey);
		Payment payment = service.create(merchant.id(), request, key);
		return ResponseEntity.created(URI.create("/api/v1/payments/" + payment.getId()))
			.body(PaymentResponse.of(payment));
	}

	@PostMapping("/separate")
	@Idempotent(atomicity = Atomicity.SEPARATE)
	ResponseEntity<PaymentResponse> createApart(@AuthenticationPrincipal Merchant merchant,
			@Valid @RequestBody CreatePaymentRequest request, IdempotencyKey key) {
		Payment payment = service.create(merchant.id(), request, key);
		return ResponseEntity.created(URI.create("/api/v1/payments/" + payment.getId()))
			.body(PaymentResponse.of(payment));
	}

}
