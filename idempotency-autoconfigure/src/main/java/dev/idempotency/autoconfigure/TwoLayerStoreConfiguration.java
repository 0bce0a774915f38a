package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.store.CacheLayer;
import dev.idempotency.store.ListeningCacheLayer;
import dev.idempotency.store.ListeningIdempotencyStore;
import dev.idempotency.store.TwoLayerIdempotencyStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
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
	@DependsOnDatabaseInitialization
	TwoLayerIdempotencyStore idempotencyStore(
			@Qualifier(RedisLayerConfiguration.CONNECTION_FACTORY) ObjectProvider<RedisConnectionFactory> own,
			@IdempotencyRedisConnectionFactory ObjectProvider<RedisConnectionFactory> qualifiedRedis,
			ObjectProvider<RedisConnectionFactory> redisCandidates,
			@IdempotencyDataSource ObjectProvider<DataSource> qualifiedDataSource,
			ObjectProvider<DataSource> dataSourceCandidates, IdempotencyProperties properties,
			IdempotencyListener listener) {
		CacheLayer redis = new ListeningCacheLayer(
				RedisLayerConfiguration.store(own, qualifiedRedis, redisCandidates, properties), StoreLayer.REDIS,
				listener);
		IdempotencyStore database = new ListeningIdempotencyStore(
				JdbcLayerConfiguration.store(qualifiedDataSource, dataSourceCandidates, properties),
				StoreLayer.DATABASE, listener);
		TwoLayerIdempotencyStore store = new TwoLayerIdempotencyStore(redis, database);
		store.setCacheLayer(StoreLayer.REDIS);
		store.setCacheRetryInterval(properties.getStore().getCacheRetryInterval());
		store.setBackfillRetention(properties.getStore().getBackfillRetention());
		store.setCacheLockTimeout(properties.getStore().getCacheLockTimeout());
		store.setListener(listener);
		return store;
	}

}
