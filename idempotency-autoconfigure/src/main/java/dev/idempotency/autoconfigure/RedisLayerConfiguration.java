package dev.idempotency.autoconfigure;

import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;

import org.jspecify.annotations.Nullable;

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
 * The store's own Redis connection: the application's Redis (its
 * {@link IdempotencyRedisConnectionFactory}, or else its only or primary factory) with
 * the store's short timeout. Not a default candidate, so the application's
 * {@link RedisConnectionFactory} stays the only one injected by type.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType({ StoreType.TWO_LAYER, StoreType.REDIS })
class RedisLayerConfiguration {

	static final String CONNECTION_FACTORY = "idempotencyRedisConnectionFactory";

	/**
	 * The chosen factory with the store's timeout; none when the chosen factory is not
	 * Lettuce (Jedis), which the store then uses as it is.
	 */
	@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	@Nullable LettuceConnectionFactory idempotencyRedisConnectionFactory(
			@IdempotencyRedisConnectionFactory ObjectProvider<RedisConnectionFactory> qualified,
			ObjectProvider<RedisConnectionFactory> candidates, IdempotencyProperties properties) {
		return (connectionFactory(qualified, candidates) instanceof LettuceConnectionFactory lettuce)
				? RedisStoreConnections.withTimeout(lettuce, properties.getRedis().getTimeout()) : null;
	}

	/**
	 * The Redis layer: on the store's own connection when there is one, else on the
	 * {@link IdempotencyRedisConnectionFactory} or the only or primary factory.
	 */
	static RedisIdempotencyStore store(ObjectProvider<RedisConnectionFactory> own,
			ObjectProvider<RedisConnectionFactory> qualified, ObjectProvider<RedisConnectionFactory> candidates,
			IdempotencyProperties properties) {
		RedisIdempotencyStore store = new RedisIdempotencyStore(
				own.getIfAvailable(() -> connectionFactory(qualified, candidates)));
		store.setKeyPrefix(properties.getRedis().getKeyPrefix());
		return store;
	}

	private static RedisConnectionFactory connectionFactory(ObjectProvider<RedisConnectionFactory> qualified,
			ObjectProvider<RedisConnectionFactory> candidates) {
		return StoreResources.choose(qualified, candidates, RedisConnectionFactory.class,
				IdempotencyRedisConnectionFactory.class);
	}

}
