package dev.idempotency.jdbc;

/**
 * H2: insert, or take over an expired row by a conditional update; both read the fencing
 * token they wrote from their {@code FINAL TABLE}.
 */
final class H2Statements {

	/** The database clock in microseconds: the fencing token of a key without a row. */
	private static final String NOW_MICROS = "DATEDIFF(MICROSECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP)";

	private H2Statements() {
	}

	static JdbcStatements create(TableName table) {
		String insert = table.apply("""
				SELECT fencing_token FROM FINAL TABLE (
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at, fencing_token)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, DATEADD(MILLISECOND, :lockMillis, CURRENT_TIMESTAMP), CURRENT_TIMESTAMP,
						NOW_MICROS))
				""".replace("NOW_MICROS", NOW_MICROS));
		String takeOver = table
			.apply("""
					SELECT fencing_token FROM FINAL TABLE (
					UPDATE %TABLE_NAME%
					SET fingerprint = :fingerprint, lock_token = :lockToken, response = NULL,
							expires_at = DATEADD(MILLISECOND, :lockMillis, CURRENT_TIMESTAMP), created_at = CURRENT_TIMESTAMP,
							fencing_token = GREATEST(fencing_token + 1, NOW_MICROS)
					WHERE key_digest = :digest AND expires_at <= CURRENT_TIMESTAMP)
					"""
				.replace("NOW_MICROS", NOW_MICROS));
		String selectLive = table.apply("""
				SELECT fingerprint, response, DATEDIFF(MILLISECOND, CURRENT_TIMESTAMP, expires_at) AS remaining_millis
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > CURRENT_TIMESTAMP
				""");
		String selectRecord = table
			.apply("""
					SELECT fingerprint, response, fencing_token,
							DATEDIFF(MICROSECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', created_at) AS created_micros,
							DATEDIFF(MICROSECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', expires_at) AS expires_micros
					FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > CURRENT_TIMESTAMP
					""");
		String storeResponse = table.apply("""
				UPDATE %TABLE_NAME%
				SET response = :response, lock_token = NULL,
						expires_at = DATEADD(MILLISECOND, :retentionMillis, CURRENT_TIMESTAMP)
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > CURRENT_TIMESTAMP
				""");
		String deleteRow = table.apply("""
				DELETE FROM %TABLE_NAME%
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > CURRENT_TIMESTAMP
				""");
		String evictRow = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > CURRENT_TIMESTAMP
				""");
		String extendLock = table.apply("""
				UPDATE %TABLE_NAME% SET expires_at = DATEADD(MILLISECOND, :lockMillis, CURRENT_TIMESTAMP)
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > CURRENT_TIMESTAMP
						AND response IS NULL
				""");
		String deleteExpired = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE expires_at <= CURRENT_TIMESTAMP FETCH FIRST :batchSize ROWS ONLY
				""");
		return new JdbcStatements(insert, takeOver, null, selectLive, selectRecord, storeResponse, deleteRow, evictRow,
				extendLock, deleteExpired);
	}

}
