package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.autoconfigure.IdempotencyProperties.Jdbc;
import dev.idempotency.jdbc.JdbcExpiredRecordsCleaner;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database layer, built here alone for the JDBC store, the two-layer store and the
 * cleanup of its table, on the {@link IdempotencyDataSource} or else the only or primary
 * {@code DataSource}. Not a default candidate: the application's {@link IdempotencyStore}
 * stays the only one injected by type.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcClient.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType({ StoreType.TWO_LAYER, StoreType.JDBC })
class JdbcLayerConfiguration {

	static final String LAYER = "idempotencyJdbcLayer";

	@Bean(name = LAYER, defaultCandidate = false)
	@ConditionalOnMissingBean(name = LAYER)
	@DependsOnDatabaseInitialization
	JdbcIdempotencyStore idempotencyJdbcLayer(@IdempotencyDataSource ObjectProvider<DataSource> qualified,
			ObjectProvider<DataSource> candidates, IdempotencyProperties properties,
			IdempotencyStoreCustomizers customizers) {
		return customizers.customize(
				new JdbcIdempotencyStore(dataSource(qualified, candidates), properties.getJdbc().getTableName()));
	}

	private static DataSource dataSource(ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> candidates) {
		return StoreResources.choose(qualified, candidates, DataSource.class, IdempotencyDataSource.class);
	}

	/**
	 * The layer's table and its upkeep: the shipped schema (run per
	 * {@code idempotency.jdbc.initialize-schema}) and the periodic cleanup of expired
	 * rows. Needs Spring Boot's script initialization (spring-boot-jdbc), which also
	 * makes the layer wait for the schema.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DataSourceScriptDatabaseInitializer.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class TableConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcIdempotencySchemaInitializer jdbcIdempotencySchemaInitializer(
				@IdempotencyDataSource ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> candidates,
				IdempotencyProperties properties) {
			Jdbc jdbc = properties.getJdbc();
			DatabaseInitializationMode mode = DatabaseInitializationMode.valueOf(jdbc.getInitializeSchema().name());
			return new JdbcIdempotencySchemaInitializer(dataSource(qualified, candidates), mode, jdbc.getTableName());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "idempotency.jdbc.cleanup.enabled", matchIfMissing = true)
		JdbcExpiredRecordsCleaner jdbcExpiredRecordsCleaner(@Qualifier(LAYER) JdbcIdempotencyStore layer,
				IdempotencyProperties properties) {
			Jdbc.Cleanup cleanup = properties.getJdbc().getCleanup();
			return new JdbcExpiredRecordsCleaner(layer, cleanup.getInterval(), cleanup.getBatchSize());
		}

	}

}
