package dev.idempotency.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.LeaseKeeper;
import dev.idempotency.engine.OperationPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link IdempotencyStore} honours. A store's test extends this class
 * and says how to create the store; every test works on fresh, random keys so stores
 * backed by a shared server need no cleanup between tests.
 */
public abstract class IdempotencyStoreContractTests {

	protected static final Duration LOCK = Duration.ofSeconds(30);

	protected static final Duration RETENTION = Duration.ofHours(1);

	/** Short enough to wait out in a test, long enough for a slow server round trip. */
	protected static final Duration SHORT = Duration.ofMillis(700);

	/**
	 * How far the store's clock may be from this JVM's (the same machine's, in tests).
	 */
	private static final Duration CLOCKS_APART = Duration.ofSeconds(5);

	/** How far apart the store's clock may read within one test's few round trips. */
	private static final Duration ROUND_TRIP = Duration.ofSeconds(2);

	protected IdempotencyStore store;

	protected abstract IdempotencyStore createStore();

	/**
	 * Whether {@link IdempotencyStore#find} reports when a key was acquired, when its
	 * record expires and its fencing token, and a replay how long the response is still
	 * kept, as every shipped store does. A store of your own that reports only
	 * fingerprint and response overrides this to say so; its records and answers must
	 * then carry none of them.
	 * @return {@code true} if found records and replays carry their times
	 */
	protected boolean findReportsTimes() {
		return true;
	}

	@BeforeEach
	void createStoreUnderTest() {
		this.store = createStore();
	}

	protected static IdempotencyKey newKey() {
		return new IdempotencyKey("tenant-" + UUID.randomUUID(), "POST /payments", UUID.randomUUID().toString());
	}

	protected static StoredResponse response(int status, String body) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("Content-Type", List.of("application/json"));
		headers.put("Location", List.of("/payments/42"));
		return new StoredResponse(status, headers, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	protected final String acquire(IdempotencyKey key, String fingerprint, Duration lock) {
		return acquired(key, fingerprint, lock).lockToken();
	}

	protected final ClaimResult.Acquired acquired(IdempotencyKey key, String fingerprint, Duration lock) {
		ClaimResult result = store.claim(key, fingerprint, lock);
		assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
		return (ClaimResult.Acquired) result;
	}

	/** Claims until the key is acquired again, once its lock or retention expired. */
	protected final ClaimResult.Acquired awaitAcquired(IdempotencyKey key, String fingerprint) {
		ClaimResult.Acquired[] acquired = new ClaimResult.Acquired[1];
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (store.claim(key, fingerprint, LOCK) instanceof ClaimResult.Acquired fresh) {
				acquired[0] = fresh;
				return true;
			}
			return false;
		});
		return acquired[0];
	}

	/**
	 * What a found record holds, without the times and fencing token the store adds.
	 * @param found the record found
	 * @return its fingerprint and response
	 */
	protected static Optional<IdempotencyRecord> held(Optional<IdempotencyRecord> found) {
		return found.map((record) -> new IdempotencyRecord(record.fingerprint(), record.response()));
	}

	/**
	 * Waits out a lock or retention of {@link #SHORT}, with a margin for slow servers.
	 */
	protected static void waitOutShort() {
		try {
			Thread.sleep(SHORT.plusMillis(400).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void firstClaimOfAKeyAcquiresIt() {
		ClaimResult result = store.claim(newKey(), "fp", LOCK);
		assertThat(result).isInstanceOfSatisfying(ClaimResult.Acquired.class, (acquired) -> {
			assertThat(acquired.lockToken()).isNotBlank();
			assertThat(acquired.fencingToken()).isPositive();
		});
	}

	@Test
	void secondClaimWhileTheFirstRunsIsInFlight() {
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		ClaimResult second = store.claim(key, "fp", LOCK);
		assertThat(second).isInstanceOfSatisfying(ClaimResult.InFlight.class,
				(inFlight) -> assertThat(inFlight.retryAfter()).isPositive().isLessThanOrEqualTo(LOCK.plusSeconds(1)));
	}

	@Test
	void completedResponseIsReplayedIdentically() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		StoredResponse response = response(201, "{\"id\":42,\"amount\":10000}");
		assertThat(store.complete(key, token, response, RETENTION)).isTrue();
		ClaimResult retry = store.claim(key, "fp", LOCK);
		assertThat(retry).isEqualTo(new ClaimResult.Completed(response));
		assertThat(((ClaimResult.Completed) retry).response().headers()).containsExactlyEntriesOf(response.headers());
	}

	@Test
	void aReplaySaysHowLongTheStoreStillKeepsTheResponse() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		assertThat(store.complete(key, token, response(201, "kept"), RETENTION)).isTrue();
		ClaimResult retry = store.claim(key, "fp", LOCK);
		if (!findReportsTimes()) {
			assertThat(retry).isInstanceOfSatisfying(ClaimResult.Completed.class,
					(completed) -> assertThat(completed.retainedFor()).isNull());
			return;
		}
		// A cache in front of the store keeps the answer no longer than this.
		assertThat(retry).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(completed.retainedFor()).isNotNull()
					.isPositive()
					.isLessThanOrEqualTo(RETENTION)
					.isGreaterThan(RETENTION.minusMinutes(1)));
	}

	@Test
	void binaryBodiesAndRepeatedHeadersSurviveTheRoundTrip() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		byte[] body = new byte[70_000];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i * 31);
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("Content-Type", List.of("application/octet-stream"));
		headers.put("Link", List.of("</a>; rel=\"next\"", "</b>; rel=\"prev\""));
		headers.put("X-Unicode", List.of("café ✓"));
		StoredResponse response = new StoredResponse(200, headers, body);
		assertThat(store.complete(key, token, response, RETENTION)).isTrue();
		ClaimResult retry = store.claim(key, "fp", LOCK);
		assertThat(retry).isEqualTo(new ClaimResult.Completed(response));
		assertThat(((ClaimResult.Completed) retry).response().body()).isEqualTo(body);
	}

	@Test
	void emptyBodyIsReplayedAsEmpty() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		StoredResponse response = new StoredResponse(204, Map.of(), new byte[0]);
		assertThat(store.complete(key, token, response, RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
	}

	@Test
	void differentRequestWithTheSameKeyIsAMismatchWhileInFlight() {
		IdempotencyKey key = newKey();
		acquire(key, "fp-1", LOCK);
		assertThat(store.claim(key, "fp-2", LOCK)).isEqualTo(new ClaimResult.Mismatch());
	}

	@Test
	void differentRequestWithTheSameKeyIsAMismatchOnceCompleted() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp-1", LOCK);
		store.complete(key, token, response(200, "ok"), RETENTION);
		assertThat(store.claim(key, "fp-2", LOCK)).isEqualTo(new ClaimResult.Mismatch());
	}

	@Test
	void releasedKeyCanBeAcquiredAgain() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		assertThat(store.release(key, token)).isTrue();
		assertThat(store.find(key)).isEmpty();
		String second = acquire(key, "fp", LOCK);
		assertThat(second).isNotEqualTo(token);
	}

	@Test
	void releasedKeyAcceptsADifferentRequest() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp-bad", LOCK);
		store.release(key, token);
		acquire(key, "fp-fixed", LOCK);
	}

	@Test
	void expiredLockIsTakenOverByTheNextClaim() {
		IdempotencyKey key = newKey();
		String crashed = acquire(key, "fp", SHORT);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> store.claim(key, "fp", LOCK) instanceof ClaimResult.Acquired acquired
					&& !acquired.lockToken().equals(crashed));
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
	}

	@Test
	void staleOwnerCannotCompleteOrReleaseAfterTakeover() {
		IdempotencyKey key = newKey();
		String stale = acquire(key, "fp", SHORT);
		String[] fresh = new String[1];
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (store.claim(key, "fp", LOCK) instanceof ClaimResult.Acquired acquired) {
				fresh[0] = acquired.lockToken();
				return true;
			}
			return false;
		});
		assertThat(store.complete(key, stale, response(200, "stale"), RETENTION)).isFalse();
		assertThat(store.release(key, stale)).isFalse();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(store.complete(key, fresh[0], response(200, "fresh"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "fresh")));
	}

	@Test
	void unknownTokenCannotCompleteOrRelease() {
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		assertThat(store.complete(key, "not-the-token", response(200, "x"), RETENTION)).isFalse();
		assertThat(store.release(key, "not-the-token")).isFalse();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
	}

	@Test
	void completedKeyCannotBeCompletedOrReleasedAgain() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(200, "first"), RETENTION);
		assertThat(store.complete(key, token, response(200, "second"), RETENTION)).isFalse();
		assertThat(store.release(key, token)).isFalse();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "first")));
	}

	@Test
	void completedRecordExpiresAfterItsRetention() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(200, "ok"), SHORT);
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> store.find(key).isEmpty());
		acquire(key, "fp-new", LOCK);
	}

	@Test
	void findReportsInFlightThenCompleted() {
		IdempotencyKey key = newKey();
		assertThat(store.find(key)).isEmpty();
		String token = acquire(key, "fp", LOCK);
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
		store.complete(key, token, response(201, "done"), RETENTION);
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", response(201, "done")));
	}

	@Test
	void findReportsWhenTheKeyWasAcquiredAndWhenItsLockThenItsRetentionEnds() {
		IdempotencyKey key = newKey();
		Instant before = Instant.now();
		ClaimResult.Acquired acquired = acquired(key, "fp", LOCK);
		IdempotencyRecord inFlight = store.find(key).orElseThrow();
		if (!findReportsTimes()) {
			assertThat(inFlight).isEqualTo(new IdempotencyRecord("fp", null));
			return;
		}
		assertThat(inFlight.createdAt()).isCloseTo(before, within(CLOCKS_APART));
		assertThat(inFlight.expiresAt()).isCloseTo(inFlight.createdAt().plus(LOCK), within(ROUND_TRIP));
		assertThat(inFlight.fencingToken()).isEqualTo(acquired.fencingToken());

		assertThat(store.renew(key, acquired.lockToken(), RETENTION)).isTrue();
		IdempotencyRecord renewed = store.find(key).orElseThrow();
		assertThat(renewed.createdAt()).isEqualTo(inFlight.createdAt());
		assertThat(renewed.expiresAt()).isCloseTo(inFlight.createdAt().plus(RETENTION), within(ROUND_TRIP));

		assertThat(store.complete(key, acquired.lockToken(), response(201, "done"), LOCK)).isTrue();
		IdempotencyRecord completed = store.find(key).orElseThrow();
		assertThat(completed.createdAt()).isEqualTo(inFlight.createdAt());
		assertThat(completed.expiresAt()).isCloseTo(inFlight.createdAt().plus(LOCK), within(ROUND_TRIP));
		assertThat(completed.fencingToken()).isEqualTo(acquired.fencingToken());
	}

	@Test
	void findReportsTheTimesOfTheKeysLastAcquisition() {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired first = acquired(key, "fp", LOCK);
		IdempotencyRecord firstRecord = store.find(key).orElseThrow();
		if (!findReportsTimes()) {
			assertThat(firstRecord).isEqualTo(new IdempotencyRecord("fp", null));
			return;
		}
		store.release(key, first.lockToken());
		ClaimResult.Acquired second = acquired(key, "fp", LOCK);
		IdempotencyRecord secondRecord = store.find(key).orElseThrow();
		assertThat(secondRecord.fencingToken()).isEqualTo(second.fencingToken());
		assertThat(secondRecord.createdAt()).isAfterOrEqualTo(firstRecord.createdAt());
	}

	@Test
	void evictedCompletedKeyIsAcquiredByTheNextClaim() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "done"), RETENTION);
		assertThat(store.evict(key)).isTrue();
		assertThat(store.find(key)).isEmpty();
		acquire(key, "fp", LOCK);
	}

	@Test
	void evictedOwnerCannotCompleteReleaseOrRenewOverTheNextClaim() {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired evicted = acquired(key, "fp", LOCK);
		assertThat(store.evict(key)).isTrue();
		ClaimResult.Acquired next = acquired(key, "fp", LOCK);
		assertThat(next.fencingToken()).isGreaterThan(evicted.fencingToken());
		assertThat(store.complete(key, evicted.lockToken(), response(200, "evicted"), RETENTION)).isFalse();
		assertThat(store.release(key, evicted.lockToken())).isFalse();
		assertThat(store.renew(key, evicted.lockToken(), LOCK)).isFalse();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(store.complete(key, next.lockToken(), response(200, "next"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "next")));
	}

	@Test
	void evictedOwnerCannotCompleteAnEmptyKey() {
		IdempotencyKey key = newKey();
		String evicted = acquire(key, "fp", LOCK);
		assertThat(store.evict(key)).isTrue();
		assertThat(store.complete(key, evicted, response(200, "evicted"), RETENTION)).isFalse();
		assertThat(store.find(key)).isEmpty();
	}

	@Test
	void evictingAnAbsentKeyEvictsNothing() {
		IdempotencyKey key = newKey();
		assertThat(store.evict(key)).isFalse();
		String token = acquire(key, "fp", LOCK);
		store.release(key, token);
		assertThat(store.evict(key)).isFalse();
	}

	@Test
	void keysDifferingInAnyPartAreIndependent() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(200, "mine"), RETENTION);
		acquire(new IdempotencyKey("other-" + key.scope(), key.endpoint(), key.clientKey()), "fp", LOCK);
		acquire(new IdempotencyKey(key.scope(), "POST /refunds", key.clientKey()), "fp", LOCK);
		acquire(new IdempotencyKey(key.scope(), key.endpoint(), key.clientKey() + "x"), "fp", LOCK);
	}

	@Test
	void partsCannotBeShiftedIntoEachOther() {
		String suffix = UUID.randomUUID().toString();
		IdempotencyKey first = new IdempotencyKey("a:b", "POST /x", suffix);
		IdempotencyKey shifted = new IdempotencyKey("a", "b:POST /x", suffix);
		acquire(first, "fp", LOCK);
		acquire(shifted, "fp", LOCK);
	}

	@Test
	void renewedLockKeepsTheKeyInFlightPastItsFirstTimeout() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", SHORT);
		assertThat(store.renew(key, token, LOCK)).isTrue();
		waitOutShort();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
		assertThat(store.complete(key, token, response(201, "long run"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "long run")));
	}

	@Test
	void lockRenewedByAnotherTokenStillExpires() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", SHORT);
		assertThat(store.renew(key, "not-the-token", LOCK)).isFalse();
		assertThat(awaitAcquired(key, "fp").lockToken()).isNotEqualTo(token);
	}

	@Test
	void staleOwnerCannotRenewOnceItsLockExpiredOrWasTakenOver() {
		IdempotencyKey key = newKey();
		String stale = acquire(key, "fp", SHORT);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> store.find(key).isEmpty());
		assertThat(store.renew(key, stale, LOCK)).isFalse();
		String fresh = acquire(key, "fp", SHORT);
		assertThat(store.renew(key, stale, LOCK)).isFalse();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(awaitAcquired(key, "fp").lockToken()).isNotIn(stale, fresh);
	}

	@Test
	void completedOrReleasedKeyCannotBeRenewed() {
		IdempotencyKey completed = newKey();
		String token = acquire(completed, "fp", LOCK);
		store.complete(completed, token, response(200, "done"), RETENTION);
		assertThat(store.renew(completed, token, LOCK)).isFalse();
		assertThat(store.claim(completed, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "done")));

		IdempotencyKey released = newKey();
		String releasedToken = acquire(released, "fp", LOCK);
		store.release(released, releasedToken);
		assertThat(store.renew(released, releasedToken, LOCK)).isFalse();
		assertThat(store.find(released)).isEmpty();
	}

	@Test
	void fencingTokenIncreasesWhenAReleasedKeyIsClaimedAgain() {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired first = acquired(key, "fp", LOCK);
		store.release(key, first.lockToken());
		ClaimResult.Acquired second = acquired(key, "fp", LOCK);
		store.release(key, second.lockToken());
		ClaimResult.Acquired third = acquired(key, "fp", LOCK);
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(third.fencingToken()).isGreaterThan(second.fencingToken());
	}

	@Test
	void fencingTokenIncreasesWhenAnExpiredLockIsTakenOver() {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired crashed = acquired(key, "fp", SHORT);
		assertThat(awaitAcquired(key, "fp").fencingToken()).isGreaterThan(crashed.fencingToken());
	}

	@Test
	void fencingTokenIncreasesWhenAKeyIsClaimedAgainAfterItsRetention() {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired first = acquired(key, "fp", LOCK);
		store.complete(key, first.lockToken(), response(200, "ok"), SHORT);
		assertThat(awaitAcquired(key, "fp").fencingToken()).isGreaterThan(first.fencingToken());
	}

	@Test
	void anOperationRunningFiveTimesItsLockTimeoutIsNeverRunTwiceUnderConcurrentRetries() throws Exception {
		LeaseKeeper leases = new LeaseKeeper(store, IdempotencyListener.NONE);
		try {
			IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases);
			Duration lock = SHORT;
			IdempotentOperation operation = new IdempotentOperation(newKey(), "fp", "slow",
					new OperationPolicy(lock, RETENTION, false, Duration.ZERO));
			AtomicInteger executions = new AtomicInteger();
			AtomicInteger refusals = new AtomicInteger();
			AtomicBoolean running = new AtomicBoolean(true);
			Callable<Void> execution = () -> {
				while (running.get()) {
					try {
						if (engine.claim(operation) instanceof Claim.Run run) {
							executions.incrementAndGet();
							Thread.sleep(lock.multipliedBy(5).toMillis());
							run.operation().complete(response(201, "{\"id\":1}"));
							return null;
						}
						return null;
					}
					catch (IdempotencyInFlightException ex) {
						refusals.incrementAndGet();
						Thread.sleep(25);
					}
				}
				return null;
			};
			ExecutorService retries = Executors.newFixedThreadPool(4);
			try {
				List<Future<Void>> attempts = retries.invokeAll(List.of(execution, execution, execution, execution));
				for (Future<Void> attempt : attempts) {
					attempt.get();
				}
			}
			finally {
				running.set(false);
				retries.shutdownNow();
			}

			assertThat(executions).hasValue(1);
			assertThat(refusals.get()).isGreaterThan(10);
			assertThat(engine.claim(operation)).isInstanceOf(Claim.Replay.class);
		}
		finally {
			leases.close();
		}
	}

	@Test
	void concurrentClaimsOfOneKeyHaveExactlyOneWinner() throws Exception {
		int threads = 32;
		for (int round = 0; round < 5; round++) {
			IdempotencyKey key = newKey();
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				List<Future<ClaimResult>> results = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					Callable<ClaimResult> claim = () -> {
						start.await();
						return store.claim(key, "fp", LOCK);
					};
					results.add(pool.submit(claim));
				}
				start.countDown();
				int acquired = 0;
				for (Future<ClaimResult> result : results) {
					ClaimResult claim = result.get();
					if (claim instanceof ClaimResult.Acquired) {
						acquired++;
					}
					else {
						assertThat(claim).isInstanceOf(ClaimResult.InFlight.class);
					}
				}
				assertThat(acquired).as("winners in round %d", round).isEqualTo(1);
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

}
