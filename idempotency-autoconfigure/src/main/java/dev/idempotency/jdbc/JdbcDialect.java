package dev.idempotency.jdbc;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * The statements of one database. Every expiry decision uses the database's clock, so
 * instances whose clocks disagree still agree on who owns a key.
 * <p>
 * Statements use named parameters: {@code digest}, {@code scope}, {@code endpoint},
 * {@code clientKey}, {@code fingerprint}, {@code lockToken} and {@code lockMillis} to
 * claim; {@code response} and {@code retentionMillis} to complete; {@code batchSize} to
 * delete expired rows. A row is expired when {@code expires_at <= now}.
 */
abstract class JdbcDialect {

	/**
	 * Inserts the row of a free key for {@code lockToken}; when the key has a row, either
	 * inserts nothing (a count of 0) or fails with a duplicate key. It must not write to
	 * an existing row: a replay then costs no write and no durable commit.
	 * @return the statement
	 */
	abstract String insert();

	/**
	 * Takes over the row of the key for {@code lockToken} if it expired (lock timed out
	 * or retention over). The update locks the row and re-reads it, so of concurrent
	 * takeovers exactly one matches.
	 * @return the statement
	 */
	abstract String takeOver();

	/**
	 * Selects {@code fingerprint}, {@code response} and {@code remaining_millis} of the
	 * unexpired row with the given {@code digest}.
	 * @return the statement
	 */
	abstract String selectLive();

	/**
	 * Stores the response and starts its retention, if {@code lockToken} still holds an
	 * unexpired lock on the row.
	 * @return the statement
	 */
	abstract String complete();

	/**
	 * Deletes the row, if {@code lockToken} still holds an unexpired lock on it.
	 * @return the statement
	 */
	abstract String release();

	/**
	 * Deletes at most {@code batchSize} expired rows; safe to run on several instances at
	 * once.
	 * @return the statement
	 */
	abstract String deleteExpired();

	static JdbcDialect of(DatabaseDriver driver, String productName, TableName table) {
		return switch (driver) {
			case POSTGRESQL -> new PostgresDialect(table);
			case H2 -> new H2Dialect(table);
			case MARIADB, MYSQL -> new MariaDbDialect(table);
			default ->
				throw new IllegalStateException("JdbcIdempotencyStore supports PostgreSQL, H2, MariaDB and MySQL, not '"
						+ productName + "'; implement IdempotencyStore for it or use another database");
		};
	}

}
