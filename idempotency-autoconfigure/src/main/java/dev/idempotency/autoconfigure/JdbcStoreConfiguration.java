package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.store.ListeningIdempotencyStore;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database alone: durable and shared by every instance; every request pays a database
 * round trip. Chosen explicitly, or when the application has a database and no Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType(StoreType.JDBC)
class JdbcStoreConfiguration {

	@Bean
	IdempotencyStore idempotencyStore(@Qualifier(JdbcLayerConfiguration.LAYER) JdbcIdempotencyStore database,
			IdempotencyListener listener, IdempotencyProperties properties) {
		return StoreNearCache.wrap(new ListeningIdempotencyStore(database, StoreLayer.DATABASE, listener), properties,
				listener);
	}

}
