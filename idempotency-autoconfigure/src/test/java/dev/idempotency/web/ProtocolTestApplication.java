package dev.idempotency.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.engine.IdempotencyContext;
import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
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
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ShallowEtagHeaderFilter;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * An application with one endpoint for each behaviour the protocol tests check. Every
 * handler counts its calls, so a test can tell a replay from an execution.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ProtocolTestApplication.TestController.class, ProtocolTestApplication.ClassLevelController.class,
		ProtocolTestApplication.ForwardingController.class, ProtocolTestApplication.FormController.class })
class ProtocolTestApplication {

	static final AtomicInteger calls = new AtomicInteger();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	static final List<Integer> loggedBodies = new CopyOnWriteArrayList<>();

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

	/**
	 * As users register it: a plain bean, so it runs inside the starter's filter and
	 * holds the body in its own wrapper until the chain returns. Only over real HTTP:
	 * MockMvc's async dispatch hands filters the bare response, which this filter
	 * refuses.
	 */
	@Bean
	@ConditionalOnBooleanProperty("test.user-filters")
	ShallowEtagHeaderFilter etagFilter() {
		return new ShallowEtagHeaderFilter();
	}

	/** A body-logging filter of the usual kind, also a plain bean. */
	@Bean
	@ConditionalOnBooleanProperty("test.user-filters")
	OncePerRequestFilter bodyLoggingFilter() {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
				chain.doFilter(request, wrapper);
				loggedBodies.add(wrapper.getContentAsByteArray().length);
				wrapper.copyBodyToResponse();
			}

		};
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

		/**
		 * A webhook: the sender never sends the key header; the event's id is the key.
		 */
		@Idempotent(key = "#body.id", scope = "#headers['x-sender']")
		@PostMapping("/webhooks")
		String webhook(@RequestBody String event) {
			return "processed " + calls.incrementAndGet();
		}

		/** Stores client errors like successes, except a conflict and a rate limit. */
		@Idempotent(storedStatuses = { "2xx", "4xx", "!409", "!429" })
		@PostMapping("/status")
		ResponseEntity<String> status(@RequestParam int code) {
			return ResponseEntity.status(code).body("answer " + calls.incrementAndGet());
		}

		/** The running operation, as code inside the handler sees it. */
		@Idempotent
		@PostMapping("/fenced")
		String fenced() {
			calls.incrementAndGet();
			return IdempotencyContext.current()
				.map((running) -> running.key().clientKey() + "|" + running.fencingToken())
				.orElse("none");
		}

		@PostMapping("/unfenced")
		String unfenced() {
			return IdempotencyContext.current().map((running) -> running.key().clientKey()).orElse("none");
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

		@GetMapping
		String read() {
			return "read " + calls.incrementAndGet();
		}

	}

	/** A legacy path that forwards to an idempotent handler. */
	@Controller
	static class ForwardingController {

		@PostMapping("/legacy-payments")
		String legacyPayments() {
			return "forward:/payments";
		}

	}

	@RestController
	static class FormController {

		@Idempotent
		@PostMapping(path = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
		String upload(@RequestParam("file") List<MultipartFile> files) {
			return "uploaded " + files.size() + " " + calls.incrementAndGet();
		}

		@Idempotent
		@PostMapping(path = "/forms", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
		String form(@RequestParam String name) {
			return "form " + name.length() + " " + calls.incrementAndGet();
		}

	}

	record Amount(int amount) {
	}

}
