package dev.idempotency.store;

import java.time.Duration;
import java.util.Optional;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;

/**
 * A store written before {@link IdempotencyRecord} and {@link ClaimResult.Completed}
 * carried times, whose {@code find} builds the two-argument record and whose claim
 * answers without a retention, still passes the contract once it says so.
 */
class StoreWithoutTimesContractTests extends IdempotencyStoreContractTests {

	@Override
	protected IdempotencyStore createStore() {
		return new StoreWithoutTimes(new InMemoryIdempotencyStore());
	}

	@Override
	protected boolean findReportsTimes() {
		return false;
	}

	private record StoreWithoutTimes(IdempotencyStore store) implements IdempotencyStore {

		@Override
		public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
			ClaimResult result = store.claim(key, fingerprint, lockTimeout);
			return (result instanceof ClaimResult.Completed completed) ? new ClaimResult.Completed(completed.response())
					: result;
		}

		@Override
		public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
			return store.complete(key, lockToken, response, retention);
		}

		@Override
		public boolean release(IdempotencyKey key, String lockToken) {
			return store.release(key, lockToken);
		}

		@Override
		public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
			return store.renew(key, lockToken, lockTimeout);
		}

		@Override
		public boolean evict(IdempotencyKey key) {
			return store.evict(key);
		}

		@Override
		public Optional<IdempotencyRecord> find(IdempotencyKey key) {
			return store.find(key).map((record) -> new IdempotencyRecord(record.fingerprint(), record.response()));
		}

	}

}
