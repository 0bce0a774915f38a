package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.store.ListeningIdempotencyStore;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Redis alone: fast and shared by every instance, but a Redis that loses data (restart
 * without persistence, failover) forgets keys. Chosen explicitly, or when the application
 * has Redis and no database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType(StoreType.REDIS)
class RedisStoreConfiguration {

	@Bean
	IdempotencyStore idempotencyStore(@Qualifier(RedisLayerConfiguration.LAYER) RedisIdempotencyStore redis,
			IdempotencyListener listener, IdempotencyProperties properties) {
		return StoreNearCache.wrap(new ListeningIdempotencyStore(redis, StoreLayer.REDIS, listener), properties,
				listener);
	}

}
