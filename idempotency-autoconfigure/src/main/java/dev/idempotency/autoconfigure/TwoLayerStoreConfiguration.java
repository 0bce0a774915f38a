package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.autoconfigure.IdempotencyProperties.Store;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.store.ListeningCacheLayer;
import dev.idempotency.store.ListeningIdempotencyStore;
import dev.idempotency.store.TwoLayerIdempotencyStore;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Redis in front of the database: Redis answers replays and in-flight conflicts, only the
 * database grants a first execution. The default when the application has both.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RedisConnectionFactory.class, JdbcClient.class })
@ConditionalOnBean({ RedisConnectionFactory.class, DataSource.class })
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType(StoreType.TWO_LAYER)
class TwoLayerStoreConfiguration {

	@Bean
	IdempotencyStore idempotencyStore(@Qualifier(RedisLayerConfiguration.LAYER) RedisIdempotencyStore redis,
			@Qualifier(JdbcLayerConfiguration.LAYER) JdbcIdempotencyStore database, IdempotencyProperties properties,
			IdempotencyListener listener, IdempotencyStoreCustomizers customizers) {
		TwoLayerIdempotencyStore store = new TwoLayerIdempotencyStore(
				new ListeningCacheLayer(redis, StoreLayer.REDIS, listener),
				new ListeningIdempotencyStore(database, StoreLayer.DATABASE, listener));
		Store settings = properties.getStore();
		store.setCacheLayer(StoreLayer.REDIS);
		store.setCacheRetryInterval(settings.getCacheRetryInterval());
		store.setBackfillRetention(settings.getBackfillRetention());
		store.setCacheLockTimeout(settings.getCacheLockTimeout());
		store.setListener(listener);
		return StoreNearCache.wrap(customizers.customize(store), properties, listener);
	}

}
