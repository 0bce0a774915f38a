package dev.idempotency.jdbc;

import java.util.Map;

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
	 * Claims a free key, or takes over a row whose lock or retention expired, for the
	 * token in the parameters.
	 * @param jdbc runs the statements
	 * @param params the claim's parameters
	 * @return {@code true} if the row is now owned by the token; {@code false} if a live
	 * row is in the way
	 */
	abstract boolean claim(IsolatedJdbc jdbc, Map<String, ?> params);

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
