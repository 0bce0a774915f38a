package dev.idempotency.actuate;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.Idempotent;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with two idempotent endpoints, one that waits for a gate. Security is
 * only what a test adds: {@link SecuredActuatorConfiguration}, or nothing (with Spring
 * Security's auto-configuration excluded).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ActuatorTestApplication.PaymentsController.class)
class ActuatorTestApplication {

	static final String WITHOUT_SECURITY = "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
			+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	static final AtomicInteger calls = new AtomicInteger();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	@RestController
	static class PaymentsController {

		@Idempotent
		@PostMapping("/payments")
		ResponseEntity<String> pay(@RequestBody String body) {
			return ResponseEntity.status(HttpStatus.CREATED)
				.contentType(MediaType.APPLICATION_JSON)
				.location(URI.create("/payments/" + calls.incrementAndGet()))
				.body("{\"payment\":" + calls.get() + "}");
		}

		@Idempotent
		@PostMapping("/slow")
		String slow() throws InterruptedException {
			gate.await(10, TimeUnit.SECONDS);
			return "slow " + calls.incrementAndGet();
		}

	}

}
