package dev.idempotency.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on MariaDB: {@code IDEMPOTENCY_TEST_MARIADB_URL} or the local
 * server. An unreachable server fails the tests, unless
 * {@code IDEMPOTENCY_TEST_MARIADB=skip} says this machine has none, which reports them as
 * skipped.
 */
class MariaDbJdbcIdempotencyStoreTests extends JdbcIdempotencyStoreContractTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() throws SQLException {
		Assumptions.assumeFalse("skip".equals(System.getenv("IDEMPOTENCY_TEST_MARIADB")),
				"IDEMPOTENCY_TEST_MARIADB=skip: no MariaDB on this machine");
		String url = System.getenv().getOrDefault("IDEMPOTENCY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(System.getenv().getOrDefault("IDEMPOTENCY_TEST_MARIADB_USERNAME", "root"));
		dataSource.setPassword(System.getenv().getOrDefault("IDEMPOTENCY_TEST_MARIADB_PASSWORD", ""));
		dataSource.setMaximumPoolSize(40);
		dataSource.setConnectionTimeout(5000);
		try (Connection connection = dataSource.getConnection()) {
			// fails with the reason when MariaDB is not there
		}
	}

	@AfterAll
	static void close() {
		if (dataSource != null) {
			dataSource.close();
		}
	}

	@Override
	protected DataSource dataSource() {
		return dataSource;
	}

}
