package dev.idempotency.store;

import java.time.Duration;
import java.util.function.Function;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyListener.StoreOperation;
import dev.idempotency.IdempotencyListener.StoreResult;
import dev.idempotency.StoredResponse;

/**
 * A {@link ListeningIdempotencyStore} around a {@link CacheLayer}, reporting its unfenced
 * writes too ({@link StoreOperation#PUT_COMPLETED} and
 * {@link StoreOperation#EVICT_IN_FLIGHT}, with result {@link StoreResult#DONE}).
 */
public class ListeningCacheLayer extends ListeningIdempotencyStore implements CacheLayer {

	private final CacheLayer delegate;

	public ListeningCacheLayer(CacheLayer delegate, StoreLayer layer, IdempotencyListener listener) {
		super(delegate, layer, listener);
		this.delegate = delegate;
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		call(StoreOperation.PUT_COMPLETED, () -> {
			delegate.putCompleted(key, fingerprint, response, retention);
			return StoreResult.DONE;
		}, Function.identity());
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		call(StoreOperation.EVICT_IN_FLIGHT, () -> {
			delegate.evictInFlight(key);
			return StoreResult.DONE;
		}, Function.identity());
	}

}
