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
 * {@code jdbc:mariadb://127.0.0.1:3306/test} as {@code root} without a password. Where
 * there is none, each test reports as skipped with the reason, unless
 * {@code IDEMPOTENCY_TEST_MARIADB=required} (as on CI) makes that a failure.
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
			if ("required".equalsIgnoreCase(System.getenv("IDEMPOTENCY_TEST_MARIADB"))) {
				throw new IllegalStateException(reason + " (IDEMPOTENCY_TEST_MARIADB=required)", ex);
			}
			// A machine with only a JDK has no MariaDB (and no embedded one exists on
			// Maven
			// Central that runs everywhere): each test reports as skipped with this
			// reason.
			// CI sets IDEMPOTENCY_TEST_MARIADB=required so that there it can never skip.
			System.err.println("WARNING: " + reason + "; the MariaDB store tests are skipped. "
					+ "Set IDEMPOTENCY_TEST_MARIADB=required to make them fail instead.");
			return reason + " (skipped; IDEMPOTENCY_TEST_MARIADB=required makes this a failure)";
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
