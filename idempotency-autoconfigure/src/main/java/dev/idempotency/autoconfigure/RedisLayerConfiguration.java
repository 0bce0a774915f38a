package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis layer, built here alone for the Redis store and the two-layer store, which
 * wrap it for metrics. Neither the layer nor its connection is a default candidate: the
 * application's {@link IdempotencyStore} and {@link RedisConnectionFactory} stay the only
 * ones injected by type.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType({ StoreType.TWO_LAYER, StoreType.REDIS })
class RedisLayerConfiguration {

	static final String LAYER = "idempotencyRedisLayer";

	static final String CONNECTION_FACTORY = "idempotencyRedisConnectionFactory";

	/**
	 * The Redis layer: on the store's own connection when there is one, else on the
	 * {@link IdempotencyRedisConnectionFactory} or the only or primary factory.
	 */
	@Bean(name = LAYER, defaultCandidate = false)
	@ConditionalOnMissingBean(name = LAYER)
	RedisIdempotencyStore idempotencyRedisLayer(
			@Qualifier(CONNECTION_FACTORY) ObjectProvider<RedisConnectionFactory> own,
			@IdempotencyRedisConnectionFactory ObjectProvider<RedisConnectionFactory> qualified,
			ObjectProvider<RedisConnectionFactory> candidates, IdempotencyProperties properties,
			IdempotencyStoreCustomizers customizers) {
		RedisIdempotencyStore store = new RedisIdempotencyStore(
				own.getIfAvailable(() -> connectionFactory(qualified, candidates)));
		store.setKeyPrefix(properties.getRedis().getKeyPrefix());
		return customizers.customize(store);
	}

	private static RedisConnectionFactory connectionFactory(ObjectProvider<RedisConnectionFactory> qualified,
			ObjectProvider<RedisConnectionFactory> candidates) {
		return StoreResources.choose(qualified, candidates, RedisConnectionFactory.class,
				IdempotencyRedisConnectionFactory.class);
	}

	/**
	 * The store's own Redis connection: the application's (its
	 * {@link IdempotencyRedisConnectionFactory}, or else its only or primary factory)
	 * with the store's short timeout. Lettuce only: on Jedis the layer uses the
	 * application's factory as it is.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LettuceConnectionFactory.class)
	@ConditionalOnBean(LettuceConnectionFactory.class)
	static class OwnConnectionConfiguration {

		/**
		 * The chosen factory with the store's timeout; none when the chosen factory is
		 * not Lettuce.
		 */
		@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
		@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
		@Nullable LettuceConnectionFactory idempotencyRedisConnectionFactory(
				@IdempotencyRedisConnectionFactory ObjectProvider<RedisConnectionFactory> qualified,
				ObjectProvider<RedisConnectionFactory> candidates, IdempotencyProperties properties) {
			return (connectionFactory(qualified, candidates) instanceof LettuceConnectionFactory lettuce)
					? RedisStoreConnections.withTimeout(lettuce, properties.getRedis().getTimeout()) : null;
		}

	}

}
