package dev.idempotency.autoconfigure;

import dev.idempotency.Atomicity;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.LeaseKeeper;
import dev.idempotency.engine.OperationTransactions;
import dev.idempotency.observation.IdempotencyObservationConvention;
import dev.idempotency.observation.TraceIdSource;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * Core of the idempotency layer: properties, the store and the listener. The store is
 * chosen by {@code idempotency.store.type}, or else the richest the application can have,
 * from the configurations imported here in precedence order: first the layers (Redis,
 * database), each built once, then the stores made of them. Stores and layers are
 * customized by {@link IdempotencyStoreCustomizer} beans. The engine observes each
 * operation with the application's {@link ObservationRegistry}, if it has one, named and
 * tagged by its {@link IdempotencyObservationConvention} bean, if it has one; with
 * micrometer-tracing, completed operations store their trace id ({@link TraceIdSource}).
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@ImportRuntimeHints(IdempotencyRuntimeHints.class)
@Import({ RedisLayerConfiguration.class, JdbcLayerConfiguration.class, TwoLayerStoreConfiguration.class,
		RedisStoreConfiguration.class, JdbcStoreConfiguration.class, InMemoryStoreConfiguration.class,
		MissingStoreConfiguration.class, TransactionalModeConfiguration.class, TraceIdSourceConfiguration.class })
public final class IdempotencyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyStoreCustomizers idempotencyStoreCustomizers(ObjectProvider<IdempotencyStoreCustomizer<?>> customizers) {
		return new IdempotencyStoreCustomizers(customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyListener idempotencyListener() {
		return IdempotencyListener.NONE;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnBean(IdempotencyStore.class)
	@ConditionalOnMissingBean
	LeaseKeeper idempotencyLeaseKeeper(IdempotencyStore store, IdempotencyListener listener) {
		return new LeaseKeeper(store, listener);
	}

	@Bean
	@ConditionalOnBean(IdempotencyStore.class)
	@ConditionalOnMissingBean
	IdempotencyEngine idempotencyEngine(IdempotencyStore store, IdempotencyListener listener, LeaseKeeper leases,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<IdempotencyObservationConvention> observationConvention,
			ObjectProvider<OperationTransactions> transactions, ObjectProvider<TraceIdSource> traceIds,
			IdempotencyProperties properties) {
		IdempotencyEngine engine = new IdempotencyEngine(store, listener, leases,
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), observationConvention.getIfUnique());
		engine.setTransactions(transactions.getIfAvailable());
		engine.setTraceIdSource(traceIds.getIfUnique(() -> TraceIdSource.NONE));
		if (properties.getAtomicity() == Atomicity.TRANSACTION && !engine.supportsTransactions()) {
			throw new IllegalStateException("idempotency.atomicity=transaction needs the JDBC store on PostgreSQL "
					+ "(idempotency.store.type jdbc or two-layer) and a single or primary transaction manager on its "
					+ "DataSource; the store is " + store);
		}
		return engine;
	}

	@Bean
	@ConditionalOnMissingBean
	StoreWarmUp idempotencyStoreWarmUp(ObjectProvider<IdempotencyStore> stores) {
		return new StoreWarmUp(stores);
	}

}
