package dev.idempotency.web;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * An application with one endpoint for each behaviour the protocol tests check. Every
 * handler counts its calls, so a test can tell a replay from an execution.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ProtocolTestApplication.TestController.class, ProtocolTestApplication.ClassLevelController.class })
class ProtocolTestApplication {

	static final AtomicInteger calls = new AtomicInteger();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}pw").roles("USER").build(),
				User.withUsername("bob").password("{noop}pw").roles("USER").build());
	}

	@RestController
	static class TestController {

		@Idempotent
		@PostMapping("/payments")
		ResponseEntity<String> createPayment(@RequestBody String body) {
			int id = calls.incrementAndGet();
			return ResponseEntity.created(URI.create("/payments/" + id))
				.header("Set-Cookie", "session=" + id)
				.header("X-RateLimit-Remaining", "9")
				.eTag("\"v" + id + "\"")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"id\":" + id + ",\"request\":" + body + "}");
		}

		@Idempotent
		@PostMapping("/orders/{id}/refunds")
		ResponseEntity<String> refund(@PathVariable String id) {
			return ResponseEntity.status(HttpStatus.CREATED).body("refund " + calls.incrementAndGet());
		}

		@Idempotent
		@PostMapping("/slow")
		String slow() throws InterruptedException {
			gate.await(10, TimeUnit.SECONDS);
			return "slow " + calls.incrementAndGet();
		}

		@Idempotent(onInFlight = OnInFlight.WAIT)
		@PostMapping("/slow-wait")
		String slowWait() throws InterruptedException {
			gate.await(10, TimeUnit.SECONDS);
			return "waited " + calls.incrementAndGet();
		}

		@Idempotent
		@PostMapping("/validated")
		ResponseEntity<?> validated(@RequestBody Amount amount) {
			calls.incrementAndGet();
			if (amount.amount() <= 0) {
				return ResponseEntity.badRequest()
					.body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "amount must be positive"));
			}
			return ResponseEntity.status(HttpStatus.CREATED).body("accepted " + amount.amount());
		}

		@Idempotent
		@PostMapping("/throws")
		String fails() {
			calls.incrementAndGet();
			throw new IllegalStateException("boom");
		}

		@Idempotent(keyRequired = false)
		@PostMapping("/optional")
		String optional() {
			return "optional " + calls.incrementAndGet();
		}

		@Idempotent(retention = "300ms")
		@PostMapping("/short-lived")
		String shortLived() {
			return "short " + calls.incrementAndGet();
		}

		@Idempotent
		@PostMapping("/future")
		CompletableFuture<ResponseEntity<String>> future() {
			return CompletableFuture.supplyAsync(
					() -> ResponseEntity.status(HttpStatus.ACCEPTED).body("future " + calls.incrementAndGet()));
		}

		@Idempotent
		@PostMapping("/deferred")
		DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>();
			CompletableFuture.runAsync(() -> result.setResult("deferred " + calls.incrementAndGet()));
			return result;
		}

		@Idempotent
		@PostMapping("/callable")
		Callable<String> callable() {
			return () -> "callable " + calls.incrementAndGet();
		}

		@Idempotent
		@PostMapping(path = "/binary", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
		byte[] binary() {
			int call = calls.incrementAndGet();
			byte[] body = new byte[512];
			for (int i = 0; i < body.length; i++) {
				body[i] = (byte) (i * 7 + call);
			}
			return body;
		}

		@Idempotent
		@PostMapping("/large")
		String large() {
			return "x".repeat(2048) + calls.incrementAndGet();
		}

		@PostMapping("/plain")
		String plain() {
			return "plain " + calls.incrementAndGet();
		}

		@Idempotent
		@PostMapping("/whoami")
		String whoami(IdempotencyKey key) {
			calls.incrementAndGet();
			return key.scope() + "|" + key.endpoint() + "|" + key.clientKey() + "|"
					+ CurrentIdempotencyKey.get().map(IdempotencyKey::clientKey).orElse("none");
		}

	}

	@RestController
	@Idempotent
	@RequestMapping("/class-level")
	static class ClassLevelController {

		@PostMapping
		String create() {
			return "class " + calls.incrementAndGet();
		}

	}

	record Amount(int amount) {
	}

}
