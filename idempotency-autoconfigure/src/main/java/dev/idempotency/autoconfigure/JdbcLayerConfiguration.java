package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.autoconfigure.IdempotencyProperties.Jdbc;
import dev.idempotency.jdbc.JdbcExpiredRecordsCleaner;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;

import dev.idempotency.IdempotencyStore;
import org.springframework.beans.factory.ObjectProvider;
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
 * The database layer's table and its upkeep: the shipped schema (run per
 * {@code idempotency.jdbc.initialize-schema}) and the periodic cleanup of expired rows.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ JdbcClient.class, DataSourceScriptDatabaseInitializer.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType({ StoreType.TWO_LAYER, StoreType.JDBC })
@Import(DatabaseInitializationDependencyConfigurer.class)
class JdbcLayerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JdbcIdempotencySchemaInitializer jdbcIdempotencySchemaInitializer(
			@IdempotencyDataSource ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> candidates,
			IdempotencyProperties properties) {
		DataSource dataSource = dataSource(qualified, candidates);
		Jdbc jdbc = properties.getJdbc();
		DatabaseInitializationMode mode = DatabaseInitializationMode.valueOf(jdbc.getInitializeSchema().name());
		return new JdbcIdempotencySchemaInitializer(dataSource, mode, jdbc.getTableName());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "idempotency.jdbc.cleanup.enabled", matchIfMissing = true)
	@DependsOnDatabaseInitialization
	JdbcExpiredRecordsCleaner jdbcExpiredRecordsCleaner(@IdempotencyDataSource ObjectProvider<DataSource> qualified,
			ObjectProvider<DataSource> candidates, IdempotencyProperties properties) {
		Jdbc.Cleanup cleanup = properties.getJdbc().getCleanup();
		return new JdbcExpiredRecordsCleaner(store(qualified, candidates, properties), cleanup.getInterval(),
				cleanup.getBatchSize());
	}

	/**
	 * The database layer, on the {@link IdempotencyDataSource} or else the only or
	 * primary {@code DataSource}.
	 */
	static JdbcIdempotencyStore store(ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> candidates,
			IdempotencyProperties properties) {
		return new JdbcIdempotencyStore(dataSource(qualified, candidates), properties.getJdbc().getTableName());
	}

	private static DataSource dataSource(ObjectProvider<DataSource> qualified, ObjectProvider<DataSource> candidates) {
		return StoreResources.choose(qualified, candidates, DataSource.class, IdempotencyDataSource.class);
	}

}
