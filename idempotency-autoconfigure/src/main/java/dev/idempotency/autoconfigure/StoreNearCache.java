package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.autoconfigure.IdempotencyProperties.Store.NearCache;
import dev.idempotency.store.NearCachedIdempotencyStore;

/**
 * Puts the near cache of completed responses in front of a shared store that
 * auto-configuration built (Redis, JDBC, two-layer), unless
 * {@code idempotency.store.near-cache.enabled} is {@code false}. The in-memory store
 * needs none, and an application's own store is left as it is.
 */
final class StoreNearCache {

	private StoreNearCache() {
	}

	static IdempotencyStore wrap(IdempotencyStore store, IdempotencyProperties properties,
			IdempotencyListener listener) {
		NearCache settings = properties.getStore().getNearCache();
		if (!settings.isEnabled()) {
			return store;
		}
		NearCachedIdempotencyStore nearCached = new NearCachedIdempotencyStore(store);
		nearCached.setMaxEntries(settings.getMaxEntries());
		nearCached.setMaxTotalSize(settings.getMaxTotalSize().toBytes());
		nearCached.setMaxResponseSize((int) Math.min(Integer.MAX_VALUE, settings.getMaxResponseSize().toBytes()));
		nearCached.setTimeToLive(settings.getTimeToLive());
		nearCached.setListener(listener);
		return nearCached;
	}

}
