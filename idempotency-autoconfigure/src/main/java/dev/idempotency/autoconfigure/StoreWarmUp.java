package dev.idempotency.autoconfigure;

import java.util.UUID;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Reads one unused key from the store at start-up, so its connections are open before the
 * first request. Lettuce connects on first use, and on a cold, busy JVM the first Redis
 * connection took longer than the store's short timeout: the first idempotent request got
 * a 503 (Redis alone) or skipped Redis for the breaker's pause (two layers). A store that
 * is down at start-up is logged, not fatal: it is handled as any outage is.
 */
final class StoreWarmUp implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(StoreWarmUp.class);

	private static final int ATTEMPTS = 3;

	private final ObjectProvider<IdempotencyStore> stores;

	StoreWarmUp(ObjectProvider<IdempotencyStore> stores) {
		this.stores = stores;
	}

	@Override
	public void afterSingletonsInstantiated() {
		IdempotencyStore store = stores.getIfUnique();
		if (store == null) {
			return;
		}
		IdempotencyKey unused = new IdempotencyKey("warm-up", "warm-up", UUID.randomUUID().toString());
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			try {
				store.find(unused);
				return;
			}
			catch (RuntimeException ex) {
				if (attempt == ATTEMPTS) {
					logger.warn("The idempotency store did not answer at start-up (" + ex.getMessage()
							+ "); idempotent requests get 503 until it does");
				}
			}
		}
	}

}
