package dev.idempotency.autoconfigure;

import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;

import org.springframework.beans.factory.ObjectProvider;
import dev.idempotency.IdempotencyStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The store's own Redis connection: the application's Redis with the store's short
 * timeout. Not a default candidate, so the application's {@link RedisConnectionFactory}
 * stays the only one injected by type.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType({ StoreType.TWO_LAYER, StoreType.REDIS })
class RedisLayerConfiguration {

	static final String CONNECTION_FACTORY = "idempotencyRedisConnectionFactory";

	@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	LettuceConnectionFactory idempotencyRedisConnectionFactory(LettuceConnectionFactory application,
			IdempotencyProperties properties) {
		return RedisStoreConnections.withTimeout(application, properties.getRedis().getTimeout());
	}

	/**
	 * The Redis layer: on the store's own connection when there is one, else on the
	 * application's.
	 */
	static RedisIdempotencyStore store(ObjectProvider<RedisConnectionFactory> own, RedisConnectionFactory application,
			IdempotencyProperties properties) {
		RedisIdempotencyStore store = new RedisIdempotencyStore(own.getIfAvailable(() -> application));
		store.setKeyPrefix(properties.getRedis().getKeyPrefix());
		return store;
	}

}
