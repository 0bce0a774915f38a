package dev.idempotency.store;

import java.time.Duration;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.StoredResponse;

/**
 * A {@link ListeningIdempotencyStore} around a {@link CacheLayer}, reporting its unfenced
 * writes too (operations {@code put_completed} and {@code evict_in_flight}, result
 * {@code done}).
 */
public class ListeningCacheLayer extends ListeningIdempotencyStore implements CacheLayer {

	private final CacheLayer delegate;

	public ListeningCacheLayer(CacheLayer delegate, String layer, IdempotencyListener listener) {
		super(delegate, layer, listener);
		this.delegate = delegate;
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		call("put_completed", () -> {
			delegate.putCompleted(key, fingerprint, response, retention);
			return "done";
		}, String::valueOf);
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		call("evict_in_flight", () -> {
			delegate.evictInFlight(key);
			return "done";
		}, String::valueOf);
	}

}
