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
	protected int poolSize;

	@Test
	void asManyConcurrentOrdersAsPooledConnectionsEachRunOnceAndTheirRetriesReplay() {
		List<String> keys = IntStream.range(0, poolSize).mapToObj((i) -> newKey()).toList();
		List<String> items = IntStream.range(0, poolSize).mapToObj((i) -> newItem()).toList();

		List<Exchange> firsts = placeAtOnce(keys, items);
		List<Exchange> retries = placeAtOnce(keys, items);

		assertEachRanOnceAndWasReplayed(items, firsts, retries);
	}

	protected List<Exchange> placeAtOnce(List<String> keys, List<String> items) {
		return Concurrently.run(keys.size(), (i) -> alice.postJson("/orders", keys.get(i), order(items.get(i), 1)));
	}

	protected void assertEachRanOnceAndWasReplayed(List<String> items, List<Exchange> firsts, List<Exchange> retries) {
		for (int i = 0; i < items.size(); i++) {
			Exchange first = firsts.get(i);
			Exchange retry = retries.get(i);
			assertThat(first.status()).as("first: %s", first).isEqualTo(201);
			assertThat(first.replayed()).as("first: %s", first).isFalse();
			assertThat(retry.status()).as("retry: %s", retry).isEqualTo(201);
			assertThat(retry.replayed()).as("retry: %s", retry).isTrue();
			assertThat(retry.text()).as("retry: %s", retry).isEqualTo(first.text());
			assertThat(retry.body()).isEqualTo(first.body());
			assertThat(orders.countByItem(items.get(i))).isOne();
		}
	}

}
