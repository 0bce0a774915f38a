package dev.idempotency.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyListener.StoreOperation;
import dev.idempotency.IdempotencyListener.StoreResult;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;

/**
 * Reports every call of a store layer, with its result and duration, to an
 * {@link IdempotencyListener}: how metrics see each layer of a store.
 */
public class ListeningIdempotencyStore implements IdempotencyStore {

	private final IdempotencyStore delegate;

	private final StoreLayer layer;

	private final IdempotencyListener listener;

	public ListeningIdempotencyStore(IdempotencyStore delegate, StoreLayer layer, IdempotencyListener listener) {
		this.delegate = delegate;
		this.layer = layer;
		this.listener = listener;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		return call(StoreOperation.CLAIM, () -> delegate.claim(key, fingerprint, lockTimeout), StoreResult::of);
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		return call(StoreOperation.COMPLETE, () -> delegate.complete(key, lockToken, response, retention),
				StoreResult::of);
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return call(StoreOperation.RELEASE, () -> delegate.release(key, lockToken), StoreResult::of);
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		return call(StoreOperation.RENEW, () -> delegate.renew(key, lockToken, lockTimeout), StoreResult::of);
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		return call(StoreOperation.EVICT, () -> delegate.evict(key), StoreResult::of);
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return call(StoreOperation.FIND, () -> delegate.find(key), ListeningIdempotencyStore::found);
	}

	@Override
	public Optional<ClaimResult.Completed> replayFromMemory(IdempotencyKey key, String fingerprint) {
		return delegate.replayFromMemory(key, fingerprint);
	}

	@Override
	public Optional<IdempotencyStore> joiningTransactions() {
		return delegate.joiningTransactions().map((joining) -> new ListeningIdempotencyStore(joining, layer, listener));
	}

	protected final <T> T call(StoreOperation operation, Supplier<T> call, Function<T, StoreResult> result) {
		long start = System.nanoTime();
		try {
			T answer = call.get();
			listener.onStoreOperation(layer, operation, result.apply(answer), System.nanoTime() - start);
			return answer;
		}
		catch (RuntimeException ex) {
			listener.onStoreOperation(layer, operation, StoreResult.ERROR, System.nanoTime() - start);
			throw ex;
		}
	}

	private static StoreResult found(Optional<IdempotencyRecord> found) {
		return found.map((record) -> record.isCompleted() ? StoreResult.COMPLETED : StoreResult.IN_FLIGHT)
			.orElse(StoreResult.ABSENT);
	}

	@Override
	public String toString() {
		return layer.name().toLowerCase(Locale.ROOT) + ":" + delegate;
	}

}
