package dev.idempotency.jdbc;

/**
 * MariaDB and MySQL (InnoDB): insert, or take over an expired row by a conditional
 * update, then read the fencing token written (MySQL has no {@code RETURNING}). Times are
 * UTC ({@code UTC_TIMESTAMP(3)} into {@code DATETIME(3)}), so sessions with different
 * time zones agree and there is no 2038 limit.
 */
final class MariaDbStatements {

	/** The database clock in microseconds: the fencing token of a key without a row. */
	private static final String NOW_MICROS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

	private MariaDbStatements() {
	}

	static JdbcStatements create(TableName table) {
		String insert = table.apply("""
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at, fencing_token)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, UTC_TIMESTAMP(3) + INTERVAL :lockMillis * 1000 MICROSECOND, UTC_TIMESTAMP(3),
						NOW_MICROS)
				""".replace("NOW_MICROS", NOW_MICROS));
		String takeOver = table.apply("""
				UPDATE %TABLE_NAME%
				SET fingerprint = :fingerprint, lock_token = :lockToken, response = NULL,
						expires_at = UTC_TIMESTAMP(3) + INTERVAL :lockMillis * 1000 MICROSECOND,
						created_at = UTC_TIMESTAMP(3), fencing_token = GREATEST(fencing_token + 1, NOW_MICROS)
				WHERE key_digest = :digest AND expires_at <= UTC_TIMESTAMP(3)
				""".replace("NOW_MICROS", NOW_MICROS));
		String selectFence = table.apply("""
				SELECT fencing_token FROM %TABLE_NAME% WHERE key_digest = :digest AND lock_token = :lockToken
				""");
		String selectLive = table.apply("""
				SELECT fingerprint, response,
						CEIL(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) / 1000) AS remaining_millis
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > UTC_TIMESTAMP(3)
				""");
		String selectRecord = table.apply("""
				SELECT fingerprint, response, fencing_token,
						TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', created_at) AS created_micros,
						TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', expires_at) AS expires_micros
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > UTC_TIMESTAMP(3)
				""");
		String storeResponse = table.apply("""
				UPDATE %TABLE_NAME%
				SET response = :response, lock_token = NULL,
						expires_at = UTC_TIMESTAMP(3) + INTERVAL :retentionMillis * 1000 MICROSECOND
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > UTC_TIMESTAMP(3)
				""");
		String deleteRow = table.apply("""
				DELETE FROM %TABLE_NAME%
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > UTC_TIMESTAMP(3)
				""");
		String evictRow = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > UTC_TIMESTAMP(3)
				""");
		String extendLock = table.apply("""
				UPDATE %TABLE_NAME% SET expires_at = UTC_TIMESTAMP(3) + INTERVAL :lockMillis * 1000 MICROSECOND
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > UTC_TIMESTAMP(3)
						AND response IS NULL
				""");
		String deleteExpired = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE expires_at <= UTC_TIMESTAMP(3) ORDER BY expires_at LIMIT :batchSize
				""");
		return new JdbcStatements(insert, takeOver, selectFence, selectLive, selectRecord, storeResponse, deleteRow,
				evictRow, extendLock, deleteExpired);
	}

}
