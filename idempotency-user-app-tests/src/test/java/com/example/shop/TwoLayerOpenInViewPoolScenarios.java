package com.example.shop;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two-layer store under an exhausted pool. Redis answers retries even when the
 * database never recorded the response, so the plain scenario cannot tell; the database
 * must hold the response too, which shows once Redis has lost its copy (as after a
 * restart or an eviction). Without the near cache, which would answer the retries from
 * this JVM as Redis did.
 */
@TestPropertySource(properties = "idempotency.store.near-cache.enabled=false")
abstract class TwoLayerOpenInViewPoolScenarios extends OpenInViewPoolScenarios {

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void ordersPlacedWhileThePoolIsExhaustedAreReplayedByTheDatabaseAfterRedisLosesThem() {
		List<String> keys = IntStream.range(0, ROUNDS * poolSize).mapToObj((i) -> newKey()).toList();
		List<String> items = IntStream.range(0, ROUNDS * poolSize).mapToObj((i) -> newItem()).toList();
		List<Exchange> firsts = placeInRounds(keys, items);

		forgetEveryRedisRecord();
		List<Exchange> retries = placeInRounds(keys, items);

		assertEachRanOnceAndWasReplayed(items, firsts, retries);
	}

	private void forgetEveryRedisRecord() {
		Set<String> records = redis.keys(KEY_PREFIX + "*");
		assertThat(records).as("Redis records of this module").isNotEmpty();
		redis.delete(records);
	}

}
