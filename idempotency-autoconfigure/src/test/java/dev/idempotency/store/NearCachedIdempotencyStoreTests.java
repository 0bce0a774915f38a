package dev.idempotency.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The store contract through the near cache (over the in-memory store), and what the near
 * cache adds: which claims it answers without the store, and for how long. The store
 * behind it is a real in-memory store, wrapped in a {@link ListeningIdempotencyStore}
 * whose events count the calls that reach it; both share a stepped clock.
 */
class NearCachedIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private final SteppedClock clock = new SteppedClock();

	private final Events events = new Events();

	/** The shared store: its events count the claims that reach it. */
	private final IdempotencyStore shared = new ListeningIdempotencyStore(new InMemoryIdempotencyStore(clock),
			IdempotencyListener.StoreLayer.MEMORY, events);

	private final NearCachedIdempotencyStore nearCached = new NearCachedIdempotencyStore(shared, clock::nanos);

	NearCachedIdempotencyStoreTests() {
		nearCached.setListener(events);
	}

	@Override
	protected IdempotencyStore createStore() {
		return new NearCachedIdempotencyStore(new InMemoryIdempotencyStore());
	}

	@Test
	void keepsNothingOnCompletionAndReplaysFromTheSecondRetryWithoutAskingTheStore() {
		IdempotencyKey key = newKey();
		StoredResponse response = response(201, "{\"id\":1}");
		complete(key, "fp", response, RETENTION);
		assertThat(nearCached.size()).as("a completion alone is not kept").isZero();
		int claimsBefore = events.storeClaims();
		assertThat(nearCached.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		assertThat(events.storeClaims()).as("the first retry reads the store").isEqualTo(claimsBefore + 1);
		claimsBefore = events.storeClaims();
		for (int i = 0; i < 3; i++) {
			assertThat(nearCached.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		}
		assertThat(events.storeClaims()).isEqualTo(claimsBefore);
		assertThat(events.nearCacheClaims()).endsWith(IdempotencyListener.StoreResult.ABSENT,
				IdempotencyListener.StoreResult.COMPLETED, IdempotencyListener.StoreResult.COMPLETED,
				IdempotencyListener.StoreResult.COMPLETED);
	}

	@Test
	void keepsACompletedAnswerOfTheStore() {
		IdempotencyKey key = newKey();
		IdempotencyStore store = new InMemoryIdempotencyStore(clock);
		NearCachedIdempotencyStore cached = new NearCachedIdempotencyStore(
				new ListeningIdempotencyStore(store, IdempotencyListener.StoreLayer.MEMORY, events), clock::nanos);
		// Completed by another instance: this one's cache never saw it.
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", LOCK)).lockToken();
		store.complete(key, token, response(200, "elsewhere"), RETENTION);

		assertThat(cached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(cached.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "elsewhere")));
		assertThat(events.storeClaims()).isOne();
	}

	@Test
	void sendsADifferentRequestToTheStoreWhichAnswersMismatch() {
		IdempotencyKey key = newKey();
		completeAndReplay(key, "fp", response(201, "first"), RETENTION);
		int claimsBefore = events.storeClaims();

		assertThat(nearCached.claim(key, "other", LOCK)).isInstanceOf(ClaimResult.Mismatch.class);
		assertThat(events.storeClaims()).isEqualTo(claimsBefore + 1);
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(events.storeClaims()).isEqualTo(claimsBefore + 1);
	}

	@Test
	void neverAnswersForAKeyInFlight() {
		IdempotencyKey key = newKey();
		nearCached.claim(key, "fp", LOCK);
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(events.storeClaims()).isEqualTo(3);
		assertThat(nearCached.size()).isZero();
	}

	@Test
	void keepsNothingWhenTheCompletionLostItsLock() {
		IdempotencyKey key = newKey();
		String stale = ((ClaimResult.Acquired) nearCached.claim(key, "fp", LOCK)).lockToken();
		assertThat(nearCached.evict(key)).isTrue();
		assertThat(nearCached.complete(key, stale, response(200, "stale"), RETENTION)).isFalse();
		assertThat(nearCached.size()).isZero();
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void evictionRemovesTheEntryAndTheRecord() {
		IdempotencyKey key = newKey();
		completeAndReplay(key, "fp", response(201, "done"), RETENTION);
		assertThat(nearCached.size()).isOne();
		assertThat(nearCached.evict(key)).isTrue();
		assertThat(nearCached.size()).isZero();
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void replaysAResponseEvictedElsewhereAtMostItsTimeToLive() {
		nearCached.setTimeToLive(Duration.ofSeconds(10));
		IdempotencyKey key = newKey();
		completeAndReplay(key, "fp", response(201, "done"), RETENTION);
		// Another instance's operator evicts it from the shared store: this instance's
		// cache does not hear of it.
		assertThat(shared.evict(key)).isTrue();
		assertThat(shared.find(key)).isEmpty();

		clock.advance(Duration.ofMillis(9_999));
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		clock.advance(Duration.ofMillis(1));
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void neverKeepsAResponseLongerThanTheStoreSaidItKeepsIt() {
		nearCached.setTimeToLive(Duration.ofSeconds(10));
		IdempotencyKey key = newKey();
		complete(key, "fp", response(201, "brief"), Duration.ofSeconds(2));
		clock.advance(Duration.ofMillis(1_000));
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		int claimsBefore = events.storeClaims();
		clock.advance(Duration.ofMillis(999));
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(events.storeClaims()).as("answered here").isEqualTo(claimsBefore);
		clock.advance(Duration.ofMillis(1));
		assertThat(nearCached.claim(key, "fp", LOCK)).as("retention over: a new execution")
			.isInstanceOf(ClaimResult.Acquired.class);
		assertThat(events.storeClaims()).isEqualTo(claimsBefore + 1);
	}

	@Test
	void keepsAnAnswerOfAStoreThatDoesNotSayHowLongForTheTimeToLive() {
		nearCached.setTimeToLive(Duration.ofSeconds(10));
		IdempotencyKey key = newKey();
		StoredResponse response = response(201, "done");
		StoreAnsweringCompleted store = new StoreAnsweringCompleted(response);
		NearCachedIdempotencyStore cached = new NearCachedIdempotencyStore(store, clock::nanos);
		assertThat(cached.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		clock.advance(Duration.ofMillis(9_999));
		assertThat(cached.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		assertThat(store.claims).as("the second answered here").hasValue(1);
		clock.advance(Duration.ofMillis(1));
		assertThat(cached.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		assertThat(store.claims).as("expired: asked again").hasValue(2);
	}

	@Test
	void doesNotKeepResponsesLargerThanTheBound() {
		nearCached.setMaxResponseSize(8);
		IdempotencyKey small = newKey();
		IdempotencyKey large = newKey();
		completeAndReplay(small, "fp", response(200, "12345678"), RETENTION);
		completeAndReplay(large, "fp", response(200, "123456789"), RETENTION);
		int claimsBefore = events.storeClaims();

		assertThat(nearCached.claim(small, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(events.storeClaims()).isEqualTo(claimsBefore);
		assertThat(nearCached.claim(large, "fp", LOCK))
			.isEqualTo(new ClaimResult.Completed(response(200, "123456789")));
		assertThat(events.storeClaims()).isEqualTo(claimsBefore + 1);
	}

	@Test
	void holdsAtMostItsMaxEntriesAndEveryKeyStillReplaysItsOwnResponse() {
		nearCached.setMaxEntries(10);
		List<IdempotencyKey> keys = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			IdempotencyKey key = newKey();
			keys.add(key);
			completeAndReplay(key, "fp", response(200, "r" + i), RETENTION);
			assertThat(nearCached.size()).isLessThanOrEqualTo(10);
		}
		for (int i = 0; i < keys.size(); i++) {
			assertThat(nearCached.claim(keys.get(i), "fp", LOCK))
				.isEqualTo(new ClaimResult.Completed(response(200, "r" + i)));
		}
	}

	@Test
	void holdsAtMostItsMaxTotalSizeOfBodies() {
		nearCached.setMaxTotalSize(100);
		List<IdempotencyKey> keys = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			IdempotencyKey key = newKey();
			keys.add(key);
			completeAndReplay(key, "fp", response(200, "0123456789"), RETENTION);
			assertThat(nearCached.size()).isLessThanOrEqualTo(10);
		}
		int claimsBefore = events.storeClaims();
		for (IdempotencyKey key : keys) {
			assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		}
		assertThat(events.storeClaims() - claimsBefore).as("claims the cache could not answer").isGreaterThan(30);
	}

	@Test
	void sweepsExpiredEntriesBeforeLiveOnes() {
		nearCached.setMaxEntries(10);
		nearCached.setTimeToLive(Duration.ofSeconds(1));
		for (int i = 0; i < 5; i++) {
			completeAndReplay(newKey(), "fp", response(200, "old"), RETENTION);
		}
		clock.advance(Duration.ofSeconds(1));
		List<IdempotencyKey> live = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			IdempotencyKey key = newKey();
			live.add(key);
			completeAndReplay(key, "fp", response(200, "live"), RETENTION);
		}
		assertThat(nearCached.size()).isEqualTo(6);
		int claimsBefore = events.storeClaims();
		live.forEach((key) -> nearCached.claim(key, "fp", LOCK));
		assertThat(events.storeClaims()).isEqualTo(claimsBefore);
	}

	@Test
	void servesAndKeepsUnderConcurrentClaimsAndCompletions() throws Exception {
		NearCachedIdempotencyStore concurrent = new NearCachedIdempotencyStore(new InMemoryIdempotencyStore());
		concurrent.setMaxEntries(64);
		int threads = 16;
		int keysPerThread = 200;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				Callable<Integer> work = () -> {
					start.await();
					int replays = 0;
					List<IdempotencyKey> mine = new ArrayList<>();
					for (int i = 0; i < keysPerThread; i++) {
						IdempotencyKey key = new IdempotencyKey("t" + thread, "POST /x", "k" + i);
						mine.add(key);
						String token = ((ClaimResult.Acquired) concurrent.claim(key, "fp" + i, LOCK)).lockToken();
						assertThat(concurrent.complete(key, token, response(200, thread + "/" + i), RETENTION))
							.isTrue();
						// Replays of this and earlier keys: from the cache or the store,
						// always the key's own response.
						for (int j = Math.max(0, i - 3); j <= i; j++) {
							assertThat(concurrent.claim(mine.get(j), "fp" + j, LOCK))
								.isEqualTo(new ClaimResult.Completed(response(200, thread + "/" + j)));
							assertThat(concurrent.claim(mine.get(j), "other", LOCK))
								.isInstanceOf(ClaimResult.Mismatch.class);
							replays++;
						}
					}
					return replays;
				};
				results.add(pool.submit(work));
			}
			start.countDown();
			for (Future<Integer> result : results) {
				assertThat(result.get()).isPositive();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(concurrent.size()).isLessThanOrEqualTo(64 + threads);
	}

	@Test
	void hasNoViewJoiningTransactionsWhenTheStoreHasNone() {
		assertThat(nearCached.joiningTransactions()).isEmpty();
	}

	@Test
	void rejectsBoundsThatCannotHold() {
		assertThatIllegalArgumentException().isThrownBy(() -> nearCached.setMaxEntries(0));
		assertThatIllegalArgumentException().isThrownBy(() -> nearCached.setTimeToLive(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> nearCached.setMaxTotalSize(0));
	}

	@Test
	void saysWhatItIsInFrontOf() {
		assertThat(nearCached.toString()).startsWith("near-cache(10000 entries, PT10S):memory:")
			.contains("InMemoryIdempotencyStore");
	}

	private void complete(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		String token = ((ClaimResult.Acquired) nearCached.claim(key, fingerprint, LOCK)).lockToken();
		assertThat(nearCached.complete(key, token, response, retention)).isTrue();
	}

	/** Completes the key and retries it once: that retry reads the store and keeps it. */
	private void completeAndReplay(IdempotencyKey key, String fingerprint, StoredResponse response,
			Duration retention) {
		complete(key, fingerprint, response, retention);
		assertThat(nearCached.claim(key, fingerprint, LOCK)).isEqualTo(new ClaimResult.Completed(response));
	}

	/** A user's store that answers every claim with a response and no retention. */
	private static final class StoreAnsweringCompleted extends InMemoryIdempotencyStore {

		private final StoredResponse response;

		private final AtomicInteger claims = new AtomicInteger();

		StoreAnsweringCompleted(StoredResponse response) {
			this.response = response;
		}

		@Override
		public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
			claims.incrementAndGet();
			return new ClaimResult.Completed(response);
		}

	}

	/** Counts the claims that reach the store and records the near cache's answers. */
	private static final class Events implements IdempotencyListener {

		private final ConcurrentLinkedQueue<StoreResult> nearCache = new ConcurrentLinkedQueue<>();

		private final AtomicInteger storeClaims = new AtomicInteger();

		@Override
		public void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result, long nanos) {
			if (operation != StoreOperation.CLAIM) {
				return;
			}
			if (layer == StoreLayer.NEAR_CACHE) {
				nearCache.add(result);
			}
			else {
				storeClaims.incrementAndGet();
			}
		}

		int storeClaims() {
			return storeClaims.get();
		}

		List<StoreResult> nearCacheClaims() {
			return List.copyOf(nearCache);
		}

	}

	private static final class SteppedClock extends Clock {

		private Instant now = Instant.parse("2025-01-01T00:00:00Z");

		private long nanos = 1_000_000_000L;

		void advance(Duration duration) {
			now = now.plus(duration);
			nanos += duration.toNanos();
		}

		long nanos() {
			return nanos;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
