package com.example.shop;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small connection pool under Spring Boot's default open-in-view: each request's entity
 * manager holds a connection from the handler's first query to the end of the request, so
 * as many concurrent requests as the pool has connections hold all of them. A subclass
 * sets {@code spring.datasource.hikari.maximum-pool-size}; a short connection timeout
 * makes a wait for a connection that never comes fail fast.
 */
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=2000")
abstract class OpenInViewPoolScenarios extends ShopRealServersTestSupport {

	@Value("${spring.datasource.hikari.maximum-pool-size}")
	private int poolSize;

	@Test
	void asManyConcurrentOrdersAsPooledConnectionsEachRunOnceAndTheirRetriesReplay() {
		List<String> keys = IntStream.range(0, poolSize).mapToObj((i) -> newKey()).toList();
		List<String> items = IntStream.range(0, poolSize).mapToObj((i) -> newItem()).toList();

		List<Exchange> firsts = Concurrently.run(poolSize,
				(i) -> alice.postJson("/orders", keys.get(i), order(items.get(i), 1)));
		List<Exchange> retries = Concurrently.run(poolSize,
				(i) -> alice.postJson("/orders", keys.get(i), order(items.get(i), 1)));

		for (int i = 0; i < poolSize; i++) {
			Exchange first = firsts.get(i);
			Exchange retry = retries.get(i);
			assertThat(first.status()).as("first: %s", first).isEqualTo(201);
			assertThat(first.replayed()).isFalse();
			assertThat(retry.status()).as("retry: %s", retry).isEqualTo(201);
			assertThat(retry.replayed()).as("retry: %s", retry).isTrue();
			assertThat(retry.body()).isEqualTo(first.body());
			assertThat(orders.countByItem(items.get(i))).isOne();
		}
	}

}
