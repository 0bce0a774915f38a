package dev.idempotency.jdbc;

import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.store.IdempotencyStoreContractTests;

import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * The store contract on one database. Each test class gets a table of its own, created by
 * the shipped schema through the shipped initializer, so what users run is what is
 * tested.
 */
abstract class JdbcIdempotencyStoreContractTests extends IdempotencyStoreContractTests {

	protected final String tableName = "idem_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);

	private boolean created;

	protected abstract DataSource dataSource();

	@Override
	protected IdempotencyStore createStore() {
		if (!created) {
			new JdbcIdempotencySchemaInitializer(dataSource(), DatabaseInitializationMode.ALWAYS, tableName)
				.initializeDatabase();
			created = true;
		}
		return new JdbcIdempotencyStore(dataSource(), tableName);
	}

}
