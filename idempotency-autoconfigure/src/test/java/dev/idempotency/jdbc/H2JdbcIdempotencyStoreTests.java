package dev.idempotency.jdbc;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The store contract on an in-memory H2 database.
 */
class H2JdbcIdempotencyStoreTests extends JdbcIdempotencyStoreContractTests {

	private static final DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
			"jdbc:h2:mem:idempotency;DB_CLOSE_DELAY=-1");

	@Override
	protected DataSource dataSource() {
		return dataSource;
	}

}
