package dev.idempotency.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Opens the store's Redis connection at start-up. Lettuce connects on first use, and on a
 * cold, busy JVM the first connection can take longer than the store's short timeout: the
 * first idempotent request would get a 503 (Redis alone) or skip Redis for the breaker's
 * pause (two layers). A Redis that is down at start-up is logged, not fatal: the store
 * copes with it as with any outage.
 */
final class RedisLayerWarmUp implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RedisLayerWarmUp.class);

	private static final int ATTEMPTS = 3;

	private final RedisConnectionFactory connectionFactory;

	RedisLayerWarmUp(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			try (RedisConnection connection = connectionFactory.getConnection()) {
				connection.ping();
				return;
			}
			catch (RuntimeException ex) {
				if (attempt == ATTEMPTS) {
					logger.warn("The idempotency store's Redis did not answer at start-up; "
							+ "requests go on without it until it does: " + ex.getMessage());
				}
			}
		}
	}

}
