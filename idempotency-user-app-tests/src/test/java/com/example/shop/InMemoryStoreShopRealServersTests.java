package com.example.shop;

import org.junit.jupiter.api.Nested;

import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "idempotency.store.type=in-memory")
class InMemoryStoreShopRealServersTests extends ShopScenarios {

	@Nested
	@TestPropertySource(properties = "spring.datasource.hikari.maximum-pool-size=2")
	class UnderOpenInViewWithTwoPooledConnections extends OpenInViewPoolScenarios {

	}

	@Nested
	@TestPropertySource(properties = "spring.datasource.hikari.maximum-pool-size=1")
	class UnderOpenInViewWithOnePooledConnection extends OpenInViewPoolScenarios {

	}

}
