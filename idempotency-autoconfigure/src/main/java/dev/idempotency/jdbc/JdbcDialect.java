package dev.idempotency.jdbc;

import java.sql.DatabaseMetaData;
import java.util.Locale;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyStoreException;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * What differs between databases: how to insert only when absent, how to compute times on
 * the database's clock (so instances with skewed clocks agree), and how to delete a
 * bounded batch. Statements use {@code %TABLE_NAME%} for the table.
 */
public enum JdbcDialect {

	/** PostgreSQL. */
	POSTGRESQL("postgresql", "now()", "now() + (? * interval '1 millisecond')",
			"CAST(EXTRACT(EPOCH FROM (expires_at - now())) * 1000 AS BIGINT)", """
					INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
					lock_token, expires_at, created_at)
					VALUES (?, ?, ?, ?, ?, ?, now() + (? * interval '1 millisecond'), now())
					ON CONFLICT (key_digest) DO NOTHING""", """
					DELETE FROM %TABLE_NAME% WHERE key_digest IN (SELECT key_digest FROM %TABLE_NAME%
					WHERE expires_at <= now() LIMIT ? FOR UPDATE SKIP LOCKED)"""),

	/** H2, for embedded use and tests. */
	H2("h2", "CURRENT_TIMESTAMP", "DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)",
			"DATEDIFF(MILLISECOND, CURRENT_TIMESTAMP, expires_at)", """
					INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
					lock_token, expires_at, created_at)
					VALUES (?, ?, ?, ?, ?, ?, DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP), CURRENT_TIMESTAMP)""",
			"DELETE FROM %TABLE_NAME% WHERE expires_at <= CURRENT_TIMESTAMP FETCH FIRST ? ROWS ONLY"),

	/** MariaDB and MySQL. */
	MARIADB("mariadb", "NOW(3)", "TIMESTAMPADD(MICROSECOND, ? * 1000, NOW(3))",
			"TIMESTAMPDIFF(MICROSECOND, NOW(3), expires_at) DIV 1000", """
					INSERT IGNORE INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
					lock_token, expires_at, created_at)
					VALUES (?, ?, ?, ?, ?, ?, TIMESTAMPADD(MICROSECOND, ? * 1000, NOW(3)), NOW(3))""",
			"DELETE FROM %TABLE_NAME% WHERE expires_at <= NOW(3) LIMIT ?");

	private final String platform;

	private final String now;

	private final String nowPlusMillis;

	private final String millisLeft;

	private final String insertIfAbsent;

	private final String deleteExpired;

	JdbcDialect(String platform, String now, String nowPlusMillis, String millisLeft, String insertIfAbsent,
			String deleteExpired) {
		this.platform = platform;
		this.now = now;
		this.nowPlusMillis = nowPlusMillis;
		this.millisLeft = millisLeft;
		this.insertIfAbsent = insertIfAbsent;
		this.deleteExpired = deleteExpired;
	}

	/**
	 * The platform name of the shipped schema file, {@code schema-<platform>.sql}.
	 * @return the platform
	 */
	public String platform() {
		return platform;
	}

	/** The database's current time. */
	String now() {
		return now;
	}

	/** The database's current time plus a parameter in milliseconds. */
	String nowPlusMillis() {
		return nowPlusMillis;
	}

	/** Milliseconds from now until {@code expires_at}. */
	String millisLeft() {
		return millisLeft;
	}

	/**
	 * Inserts a claim (digest, scope, endpoint, key, fingerprint, token, lock millis) and
	 * affects no row, or fails with a duplicate key, when the key exists.
	 */
	String insertIfAbsent() {
		return insertIfAbsent;
	}

	/** Deletes at most a parameter's number of expired rows. */
	String deleteExpired() {
		return deleteExpired;
	}

	/**
	 * The dialect of the database behind a data source.
	 * @param dataSource the data source
	 * @return the dialect
	 * @throws IdempotencyStoreException if the database cannot be reached
	 * @throws IllegalStateException if the database is not supported
	 */
	public static JdbcDialect of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IdempotencyStoreException("Could not reach the database of the idempotency store", ex);
		}
		return forProductName(product);
	}

	static JdbcDialect forProductName(String product) {
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("postgres")) {
			return POSTGRESQL;
		}
		if (name.contains("h2")) {
			return H2;
		}
		if (name.contains("mariadb") || name.contains("mysql")) {
			return MARIADB;
		}
		throw new IllegalStateException("The idempotency JDBC store supports PostgreSQL, H2, MariaDB and MySQL, not "
				+ product + "; declare your own IdempotencyStore bean");
	}

}
