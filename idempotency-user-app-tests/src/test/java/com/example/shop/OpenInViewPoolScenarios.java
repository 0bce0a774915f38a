package com.example.shop;

import java.util.ArrayList;
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

	/**
	 * Rounds of concurrent requests: threads released together may still run one after
	 * the other, and one round where they overlap is enough to exhaust the pool.
	 */
	protected static final int ROUNDS = 3;

	@Value("${spring.datasource.hikari.maximum-pool-size}")
	protected int poolSize;

	@Test
	void asManyConcurrentOrdersAsPooledConnectionsEachRunOnceAndTheirRetriesReplay() {
		List<String> keys = IntStream.range(0, ROUNDS * poolSize).mapToObj((i) -> newKey()).toList();
		List<String> items = IntStream.range(0, ROUNDS * poolSize).mapToObj((i) -> newItem()).toList();

		List<Exchange> firsts = placeInRounds(keys, items);
		List<Exchange> retries = placeInRounds(keys, items);

		assertEachRanOnceAndWasReplayed(items, firsts, retries);
	}

	/** Places the orders, {@code poolSize} of them at once in each round. */
	protected List<Exchange> placeInRounds(List<String> keys, List<String> items) {
		List<Exchange> responses = new ArrayList<>();
		for (int from = 0; from < keys.size(); from += poolSize) {
			int start = from;
			responses.addAll(Concurrently.run(poolSize,
					(i) -> alice.postJson("/orders", keys.get(start + i), order(items.get(start + i), 1))));
		}
		return responses;
	}

	/** Statuses first, then executions, then bodies: the first failure says the most. */
	protected void assertEachRanOnceAndWasReplayed(List<String> items, List<Exchange> firsts, List<Exchange> retries) {
		assertThat(firsts).as("first requests").allSatisfy((first) -> {
			assertThat(first.status()).as("first: %s", first).isEqualTo(201);
			assertThat(first.replayed()).as("first: %s", first).isFalse();
		});
		assertThat(retries).as("retries").allSatisfy((retry) -> {
			assertThat(retry.status()).as("retry: %s", retry).isEqualTo(201);
			assertThat(retry.replayed()).as("retry: %s", retry).isTrue();
		});
		assertThat(items).as("orders per item").allSatisfy((item) -> assertThat(orders.countByItem(item)).isOne());
		for (int i = 0; i < items.size(); i++) {
			assertThat(retries.get(i).text()).as("retry: %s", retries.get(i)).isEqualTo(firsts.get(i).text());
			assertThat(retries.get(i).body()).isEqualTo(firsts.get(i).body());
		}
	}

}
