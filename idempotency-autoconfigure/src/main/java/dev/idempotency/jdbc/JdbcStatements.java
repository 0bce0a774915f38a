package dev.idempotency.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * The statements of one database. Every expiry decision uses the database's clock, so
 * instances whose clocks disagree still agree on who owns a key. A row is expired when
 * {@code expires_at <= now}; it is in flight while {@code response IS NULL}.
 * <p>
 * Statements use named parameters: {@code digest}, {@code scope}, {@code endpoint},
 * {@code clientKey}, {@code fingerprint}, {@code lockToken} and {@code lockMillis} to
 * claim; {@code response} and {@code retentionMillis} to store a response;
 * {@code lockToken} and {@code lockMillis} to extend a lock; {@code batchSize} to delete
 * expired rows.
 *
 * @param insert inserts the row of a free key for {@code lockToken}; when the key has a
 * row, either inserts nothing or fails with a duplicate key. It must not write to an
 * existing row: a replay then costs no write and no durable commit
 * @param takeOver takes over the row of the key for {@code lockToken} if it expired (lock
 * timed out or retention over), raising its fencing token above the previous one. The
 * update locks the row and re-reads it, so of concurrent takeovers exactly one matches
 * @param selectFence selects the {@code fencing_token} of the row {@code lockToken}
 * holds, after {@code insert} or {@code takeOver} wrote it; {@code null} when those two
 * are queries that return the {@code fencing_token} of the row they wrote (none when they
 * wrote none)
 * @param selectLive selects {@code fingerprint}, {@code response} and
 * {@code remaining_millis} of the unexpired row with the given {@code digest}, for a
 * claim
 * @param selectRecord selects {@code fingerprint}, {@code response},
 * {@code fencing_token} and {@code created_at} and {@code expires_at} in microseconds
 * since the epoch as {@code created_micros} and {@code expires_micros}, of the unexpired
 * row with the given {@code digest}, for an operator's find (apart from
 * {@code selectLive}, so a claim reads no more than it needs)
 * @param storeResponse stores the response and starts its retention, if {@code lockToken}
 * still holds an unexpired lock on the row
 * @param deleteRow deletes the row, if {@code lockToken} still holds an unexpired lock on
 * it
 * @param evictRow deletes the unexpired row with the given {@code digest}, whoever holds
 * it (an operator's eviction)
 * @param extendLock sets the lock's expiry to {@code lockMillis} from now, if
 * {@code lockToken} still holds an unexpired lock on the row
 * @param deleteExpired deletes at most {@code batchSize} expired rows; safe to run on
 * several instances at once
 */
record JdbcStatements(String insert, String takeOver, @Nullable String selectFence, String selectLive,
		String selectRecord, String storeResponse, String deleteRow, String evictRow, String extendLock,
		String deleteExpired) {

	static JdbcStatements of(DatabaseDriver driver, String productName, TableName table) {
		return switch (driver) {
			case POSTGRESQL -> PostgresStatements.create(table);
			case H2 -> H2Statements.create(table);
			case MARIADB, MYSQL -> MariaDbStatements.create(table);
			default ->
				throw new IllegalStateException("JdbcIdempotencyStore supports PostgreSQL, H2, MariaDB and MySQL, not '"
						+ productName + "'; implement IdempotencyStore for it or use another database");
		};
	}

}
