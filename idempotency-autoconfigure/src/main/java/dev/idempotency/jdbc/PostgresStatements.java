package dev.idempotency.jdbc;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING} claims a free key without
 * touching an existing row (so a replay writes nothing and commits without a WAL flush);
 * a conditional update takes over an expired row. Both return the fencing token they
 * wrote. Cleanup skips rows that a takeover holds locked.
 */
final class PostgresStatements {

	/** The database clock in microseconds: the fencing token of a key without a row. */
	private static final String NOW_MICROS = "CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT)";

	private PostgresStatements() {
	}

	static JdbcStatements create(TableName table) {
		String insert = table.apply("""
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at, fencing_token)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, now() + :lockMillis * INTERVAL '1 millisecond', now(), NOW_MICROS)
				ON CONFLICT (key_digest) DO NOTHING
				RETURNING fencing_token
				""".replace("NOW_MICROS", NOW_MICROS));
		String takeOver = table.apply("""
				UPDATE %TABLE_NAME%
				SET fingerprint = :fingerprint, lock_token = :lockToken, response = NULL,
						expires_at = now() + :lockMillis * INTERVAL '1 millisecond', created_at = now(),
						fencing_token = GREATEST(fencing_token + 1, NOW_MICROS)
				WHERE key_digest = :digest AND expires_at <= now()
				RETURNING fencing_token
				""".replace("NOW_MICROS", NOW_MICROS));
		String selectLive = table.apply("""
				SELECT fingerprint, response,
						CAST(CEIL(EXTRACT(EPOCH FROM (expires_at - now())) * 1000) AS BIGINT) AS remaining_millis
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > now()
				""");
		String selectRecord = table.apply("""
				SELECT fingerprint, response, fencing_token,
						CAST(EXTRACT(EPOCH FROM created_at) * 1000000 AS BIGINT) AS created_micros,
						CAST(EXTRACT(EPOCH FROM expires_at) * 1000000 AS BIGINT) AS expires_micros
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > now()
				""");
		String storeResponse = table
			.apply("""
					UPDATE %TABLE_NAME%
					SET response = :response, lock_token = NULL, expires_at = now() + :retentionMillis * INTERVAL '1 millisecond'
					WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > now()
					""");
		String deleteRow = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > now()
				""");
		String evictRow = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > now()
				""");
		String extendLock = table.apply("""
				UPDATE %TABLE_NAME% SET expires_at = now() + :lockMillis * INTERVAL '1 millisecond'
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > now() AND response IS NULL
				""");
		String deleteExpired = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest IN (
						SELECT key_digest FROM %TABLE_NAME% WHERE expires_at <= now()
						LIMIT :batchSize FOR UPDATE SKIP LOCKED)
				""");
		return new JdbcStatements(insert, takeOver, null, selectLive, selectRecord, storeResponse, deleteRow, evictRow,
				extendLock, deleteExpired);
	}

	/**
	 * A claim in the caller's transaction holds an advisory lock on the key until that
	 * transaction ends, taken without waiting: a concurrent claim learns at once that the
	 * key is in flight, rather than wait on the uncommitted row (and, in its own
	 * transaction, fail with a lock timeout that would abort it). The two-number form
	 * keeps clear of the application's single-number advisory locks.
	 */
	static TransactionalStatements transactional(TableName table) {
		String claim = table.apply("""
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, expires_at, created_at, fencing_token)
				SELECT :digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, now() + :lockMillis * INTERVAL '1 millisecond', now(), NOW_MICROS
				WHERE pg_try_advisory_xact_lock(:lockSpace, :lockKey)
				ON CONFLICT (key_digest) DO NOTHING
				RETURNING fencing_token
				""".replace("NOW_MICROS", NOW_MICROS));
		String lockKey = "SELECT pg_try_advisory_xact_lock(:lockSpace, :lockKey)";
		String storeResponse = table
			.apply("""
					UPDATE %TABLE_NAME%
					SET response = :response, lock_token = NULL, expires_at = now() + :retentionMillis * INTERVAL '1 millisecond'
					WHERE key_digest = :digest AND lock_token = :lockToken
					""");
		return new TransactionalStatements(claim, lockKey, storeResponse);
	}

}
