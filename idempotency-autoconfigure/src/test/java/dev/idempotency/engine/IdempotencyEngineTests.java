package dev.idempotency.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The protocol without any entry point: no servlet, no MockMvc.
 */
class IdempotencyEngineTests {

	private static final OperationPolicy REJECT = new OperationPolicy(Duration.ofSeconds(30), Duration.ofHours(1),
			false, Duration.ZERO);

	private static final StoredResponse RESULT = new StoredResponse(201, Map.of(), "{\"id\":1}".getBytes());

	private final RecordingListener listener = new RecordingListener();

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

	private final LeaseKeeper leases = new LeaseKeeper(store, listener);

	private final IdempotencyEngine engine = new IdempotencyEngine(store, listener, leases);

	@AfterEach
	void closeLeases() {
		leases.close();
	}

	@Test
	void aNewKeyRunsAndItsStoredResultIsReplayed() {
		IdempotentOperation operation = operation("fp", REJECT);

		RunningOperation running = run(engine.claim(operation));
		assertThat(running.complete(RESULT)).isEqualTo(Completion.STORED);
		Claim again = engine.claim(operation);

		assertThat(again).isInstanceOfSatisfying(Claim.Replay.class,
				(replay) -> assertThat(replay.response()).isEqualTo(RESULT));
		assertThat(listener.outcomes).containsExactly(Outcome.EXECUTED, Outcome.REPLAYED);
		assertThat(listener.completions).containsExactly(Completion.STORED);
	}

	@Test
	void aDuplicateOfARunningOperationIsRefusedAsInFlight() {
		IdempotentOperation operation = operation("fp", REJECT);
		run(engine.claim(operation));

		assertThatExceptionOfType(IdempotencyInFlightException.class).isThrownBy(() -> engine.claim(operation))
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).isPositive())
			.withMessageNotContaining(operation.key().clientKey());
		assertThat(listener.outcomes).containsExactly(Outcome.EXECUTED, Outcome.CONFLICT);
	}

	@Test
	void theSameKeyWithAnotherFingerprintIsAReusedKey() {
		IdempotentOperation operation = operation("fp", REJECT);
		run(engine.claim(operation)).complete(RESULT);

		assertThatExceptionOfType(IdempotencyKeyReusedException.class)
			.isThrownBy(() -> engine.claim(new IdempotentOperation(operation.key(), "other", "orders", REJECT)));
		assertThat(listener.outcomes).containsExactly(Outcome.EXECUTED, Outcome.MISMATCH);
	}

	@Test
	void aReleasedKeyRunsAgain() {
		IdempotentOperation operation = operation("fp", REJECT);

		assertThat(run(engine.claim(operation)).release(true)).isEqualTo(Completion.RELEASED_ERROR);
		assertThat(engine.claim(operation)).isInstanceOf(Claim.Run.class);
		assertThat(listener.completions).containsExactly(Completion.RELEASED_ERROR);
	}

	@Test
	void aWaitingDuplicateGetsTheResultOnceTheFirstCompletes() throws Exception {
		OperationPolicy wait = new OperationPolicy(Duration.ofSeconds(30), Duration.ofHours(1), true,
				Duration.ofSeconds(5));
		IdempotentOperation operation = operation("fp", wait);
		RunningOperation first = run(engine.claim(operation));

		CompletableFuture<Claim> duplicate = CompletableFuture.supplyAsync(() -> engine.claim(operation));
		Thread.sleep(100);
		assertThat(duplicate).isNotDone();
		first.complete(RESULT);

		assertThat(duplicate.get(5, TimeUnit.SECONDS)).isInstanceOf(Claim.Replay.class);
	}

	@Test
	void aWaitingDuplicateIsRefusedWhenTheWaitRunsOut() {
		OperationPolicy wait = new OperationPolicy(Duration.ofSeconds(30), Duration.ofHours(1), true,
				Duration.ofMillis(100));
		IdempotentOperation operation = operation("fp", wait);
		run(engine.claim(operation));

		assertThatExceptionOfType(IdempotencyInFlightException.class).isThrownBy(() -> engine.claim(operation));
	}

	@Test
	void aStoreFailureRunsNothingAndIsCountedAsUnavailable() {
		IdempotencyStore failing = new InMemoryIdempotencyStore() {

			@Override
			public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
				throw new IdempotencyStoreException("down");
			}

		};
		IdempotencyEngine engine = new IdempotencyEngine(failing, listener, leases);

		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> engine.claim(operation("fp", REJECT)));
		assertThat(listener.outcomes).containsExactly(Outcome.UNAVAILABLE);
	}

	@Test
	void aStoreFailureWhileCompletingIsReportedNotThrown() {
		IdempotencyStore failing = new InMemoryIdempotencyStore() {

			@Override
			public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
				throw new IdempotencyStoreException("down");
			}

		};
		IdempotencyEngine engine = new IdempotencyEngine(failing, listener, leases);

		assertThat(run(engine.claim(operation("fp", REJECT))).complete(RESULT)).isEqualTo(Completion.STORE_FAILED);
		assertThat(listener.completions).containsExactly(Completion.STORE_FAILED);
	}

	@Test
	void anOperationIsFinishedOnce() {
		RunningOperation running = run(engine.claim(operation("fp", REJECT)));
		running.complete(RESULT);

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> running.release(true));
		assertThat(listener.completions).containsExactly(Completion.STORED);
	}

	@Test
	void theRunningOperationIsBoundToItsThreadForItsScope() {
		RunningOperation running = run(engine.claim(operation("fp", REJECT)));

		try (IdempotencyContext.Scope bound = IdempotencyContext.bind(running)) {
			assertThat(IdempotencyContext.current()).containsSame(running);
		}
		assertThat(IdempotencyContext.current()).isEmpty();
	}

	@Test
	void renewsEveryThirdOfTheLockTimeout() {
		assertThat(LeaseKeeper.interval(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
		assertThat(LeaseKeeper.interval(Duration.ofMillis(60))).isEqualTo(LeaseKeeper.TICK);
	}

	@Test
	void aStoreThatCannotRenewKeepsItsFirstLockAndIsNotAskedAgain() throws Exception {
		CountingStore counting = new CountingStore();
		LeaseKeeper leases = new LeaseKeeper(counting, listener);
		try {
			IdempotencyEngine engine = new IdempotencyEngine(counting, listener, leases);
			OperationPolicy shortLock = new OperationPolicy(Duration.ofMillis(150), Duration.ofHours(1), false,
					Duration.ZERO);
			RunningOperation running = run(engine.claim(operation("fp", shortLock)));
			Thread.sleep(400);
			assertThat(counting.renewals).isEqualTo(1);
			assertThat(running.isLockLost()).isFalse();
		}
		finally {
			leases.close();
		}
	}

	private static IdempotentOperation operation(String fingerprint, OperationPolicy policy) {
		return new IdempotentOperation(new IdempotencyKey("tenant", "orders", UUID.randomUUID().toString()),
				fingerprint, "orders", policy);
	}

	private static RunningOperation run(Claim claim) {
		assertThat(claim).isInstanceOf(Claim.Run.class);
		return ((Claim.Run) claim).operation();
	}

	static final class RecordingListener implements IdempotencyListener {

		final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

		final List<Completion> completions = new CopyOnWriteArrayList<>();

		final List<LeaseRenewal> renewals = new CopyOnWriteArrayList<>();

		@Override
		public void onRequest(String endpoint, Outcome outcome) {
			outcomes.add(outcome);
		}

		@Override
		public void onCompletion(String endpoint, Completion completion) {
			completions.add(completion);
		}

		@Override
		public void onLeaseRenewal(String name, LeaseRenewal renewal) {
			renewals.add(renewal);
		}

	}

	/** A store written before renewals: the SPI's default refuses them. */
	static final class CountingStore implements IdempotencyStore {

		private final InMemoryIdempotencyStore delegate = new InMemoryIdempotencyStore();

		volatile int renewals;

		@Override
		public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
			return delegate.claim(key, fingerprint, lockTimeout);
		}

		@Override
		public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
			return delegate.complete(key, lockToken, response, retention);
		}

		@Override
		public boolean release(IdempotencyKey key, String lockToken) {
			return delegate.release(key, lockToken);
		}

		@Override
		public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
			renewals++;
			return IdempotencyStore.super.renew(key, lockToken, lockTimeout);
		}

		@Override
		public Optional<IdempotencyRecord> find(IdempotencyKey key) {
			return delegate.find(key);
		}

	}

}
