package com.example.atomic;

import java.util.concurrent.Callable;

import dev.idempotency.Atomicity;
import dev.idempotency.Idempotent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's application with handlers that ask for transactional mode where it cannot be
 * had: each profile brings one.
 */
@SpringBootApplication
class AtomicCheckoutApplication {

	@RestController
	@Profile("async")
	static class AsyncCheckoutController {

		@Idempotent(atomicity = Atomicity.TRANSACTION)
		@PostMapping("/checkouts/async")
		Callable<String> checkoutLater() {
			return () -> "done";
		}

	}

	@RestController
	@Profile("plain")
	static class CheckoutController {

		@Idempotent(atomicity = Atomicity.TRANSACTION)
		@PostMapping("/checkouts")
		String checkout() {
			return "done";
		}

	}

}
