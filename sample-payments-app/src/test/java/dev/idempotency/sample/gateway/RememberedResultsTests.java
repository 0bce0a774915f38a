package dev.idempotency.sample.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RememberedResultsTests {

	@Test
	void aKeyKeepsItsFirstResult() {
		RememberedResults<String> results = new RememberedResults<>(10);
		assertThat(results.computeIfAbsent("k", () -> "first")).isEqualTo("first");
		assertThat(results.computeIfAbsent("k", () -> "second")).isEqualTo("first");
		assertThat(results.get("k")).contains("first");
	}

	@Test
	void theOldestKeysAreForgottenBeyondTheCapacity() {
		RememberedResults<Integer> results = new RememberedResults<>(3);
		for (int i = 1; i <= 5; i++) {
			int value = i;
			results.computeIfAbsent("k" + i, () -> value);
		}
		assertThat(results.size()).isEqualTo(3);
		assertThat(results.get("k1")).isEmpty();
		assertThat(results.get("k2")).isEmpty();
		assertThat(results.get("k3")).contains(3);
		assertThat(results.get("k5")).contains(5);
	}

	@Test
	void aFailedResultIsNotRemembered() {
		RememberedResults<String> results = new RememberedResults<>(10);
		assertThatIllegalStateException().isThrownBy(() -> results.computeIfAbsent("k", () -> {
			throw new IllegalStateException("declined");
		}));
		assertThat(results.get("k")).isEmpty();
		assertThat(results.computeIfAbsent("k", () -> "retried")).isEqualTo("retried");
	}

	@Test
	void concurrentCallsWithOneKeyCreateItsResultOnce() throws Exception {
		RememberedResults<Integer> results = new RememberedResults<>(10);
		AtomicInteger created = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return results.computeIfAbsent("k", created::incrementAndGet);
				}));
			}
			start.countDown();
			for (Future<Integer> answer : answers) {
				assertThat(answer.get()).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(created).hasValue(1);
	}

}
