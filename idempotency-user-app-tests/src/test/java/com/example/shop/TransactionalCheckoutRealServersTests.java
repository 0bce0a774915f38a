package com.example.shop;

import org.junit.jupiter.api.Nested;

import org.springframework.test.context.TestPropertySource;

/**
 * Transactional checkouts on each store that offers the mode, with open-in-view on
 * (Spring Boot's default) and off.
 */
class TransactionalCheckoutRealServersTests {

	@Nested
	@TestPropertySource(properties = "idempotency.store.type=jdbc")
	class OnTheJdbcStoreWithOpenInView extends TransactionalCheckoutScenarios {

	}

	@Nested
	@TestPropertySource(properties = { "idempotency.store.type=jdbc", "spring.jpa.open-in-view=false" })
	class OnTheJdbcStoreWithoutOpenInView extends TransactionalCheckoutScenarios {

	}

	@Nested
	@TestPropertySource(properties = "idempotency.store.type=two-layer")
	class BehindRedisWithOpenInView extends TransactionalCheckoutScenarios {

	}

}
