package com.example.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends requests at the same moment: each on its own thread, released together.
 */
final class Concurrently {

	private Concurrently() {
	}

	static <T> List<T> run(int count, IntFunction<T> call) {
		ExecutorService executor = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int index = i;
				futures.add(CompletableFuture.supplyAsync(() -> {
					awaitQuietly(start);
					return call.apply(index);
				}, executor));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (CompletableFuture<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Concurrent requests did not all complete", ex);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
