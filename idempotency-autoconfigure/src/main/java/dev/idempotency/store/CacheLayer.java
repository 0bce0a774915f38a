package dev.idempotency.store;

import java.time.Duration;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;

/**
 * A store that can be the cache layer of a {@link TwoLayerIdempotencyStore}. Besides the
 * fenced SPI it has two unfenced writes, which only carry out what the authority already
 * decided, so they need no lock token: whichever claim's marker the cache holds (a
 * retry's, or one left by a claim whose answer never came back) gives way to them.
 * Implementations are thread-safe, and each operation is atomic.
 */
public interface CacheLayer extends IdempotencyStore {

	/**
	 * Stores a completed record whatever the key holds. Called once the authority has the
	 * completion: a completed response never changes, so it may replace anything.
	 * @param key the key
	 * @param fingerprint the fingerprint of the completed request
	 * @param response the response to replay
	 * @param retention how long to keep it
	 */
	void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention);

	/**
	 * Removes the key's in-flight marker, whoever's it is; a completed record stays.
	 * Called once the authority has released the key.
	 * @param key the key
	 */
	void evictInFlight(IdempotencyKey key);

}
