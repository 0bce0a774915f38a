package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.autoconfigure.IdempotencyProperties.Jdbc;
import dev.idempotency.jdbc.JdbcExpiredRecordsCleaner;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;

import dev.idempotency.IdempotencyStore;
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
	JdbcIdempotencySchemaInitializer jdbcIdempotencySchemaInitializer(DataSource dataSource,
			IdempotencyProperties properties) {
		Jdbc jdbc = properties.getJdbc();
		DatabaseInitializationMode mode = DatabaseInitializationMode.valueOf(jdbc.getInitializeSchema().name());
		return new JdbcIdempotencySchemaInitializer(dataSource, mode, jdbc.getTableName());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "idempotency.jdbc.cleanup.enabled", matchIfMissing = true)
	@DependsOnDatabaseInitialization
	JdbcExpiredRecordsCleaner jdbcExpiredRecordsCleaner(DataSource dataSource, IdempotencyProperties properties) {
		Jdbc.Cleanup cleanup = properties.getJdbc().getCleanup();
		return new JdbcExpiredRecordsCleaner(store(dataSource, properties), cleanup.getInterval(),
				cleanup.getBatchSize());
	}

	static JdbcIdempotencyStore store(DataSource dataSource, IdempotencyProperties properties) {
		return new JdbcIdempotencyStore(dataSource, properties.getJdbc().getTableName());
	}

}
