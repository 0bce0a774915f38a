package dev.idempotency.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store on a real MariaDB server: {@code IDEMPOTENCY_TEST_MARIADB_URL} (with
 * {@code IDEMPOTENCY_TEST_MARIADB_USERNAME} and {@code _PASSWORD}), by default
 * {@code jdbc:mariadb://127.0.0.1:3306/test} as {@code root} without a password. An
 * unreachable server fails the tests, unless {@code IDEMPOTENCY_TEST_MARIADB=skip}
 * reports them as skipped.
 */
class MariaDbJdbcIdempotencyStoreTests extends AbstractJdbcIdempotencyStoreTests {

	private static HikariDataSource dataSource;

	/**
	 * Why the tests are skipped; the assumption is per test, so each reports as skipped.
	 */
	private static String skipReason;

	@BeforeAll
	static void connect() {
		String url = env("IDEMPOTENCY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
		String username = env("IDEMPOTENCY_TEST_MARIADB_USERNAME", "root");
		String password = env("IDEMPOTENCY_TEST_MARIADB_PASSWORD", "");
		skipReason = unreachableReason(url, username, password);
		if (skipReason != null) {
			return;
		}
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(username);
		dataSource.setPassword(password);
		dataSource.setMaximumPoolSize(40);
	}

	private static String unreachableReason(String url, String username, String password) {
		DriverManager.setLoginTimeout(5);
		try (Connection connection = DriverManager.getConnection(url, username, password)) {
			return null;
		}
		catch (SQLException ex) {
			String reason = "MariaDB is not reachable at " + url + " as " + username + ": " + ex.getMessage();
			if ("skip".equalsIgnoreCase(System.getenv("IDEMPOTENCY_TEST_MARIADB"))) {
				return reason + " (skipped: IDEMPOTENCY_TEST_MARIADB=skip)";
			}
			throw new IllegalStateException(reason + ". Start MariaDB, point IDEMPOTENCY_TEST_MARIADB_URL at one, "
					+ "or set IDEMPOTENCY_TEST_MARIADB=skip to skip these tests", ex);
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
		Assumptions.assumeTrue(skipReason == null, () -> skipReason);
		return dataSource;
	}

	@Override
	protected String schemaPlatform() {
		return "mariadb";
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
