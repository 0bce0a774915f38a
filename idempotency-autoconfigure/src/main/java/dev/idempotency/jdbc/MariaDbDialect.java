package dev.idempotency.jdbc;

/**
 * MariaDB and MySQL (InnoDB): insert, or take over an expired row by a conditional
 * update. Times are UTC ({@code UTC_TIMESTAMP(3)} into {@code DATETIME(3)}), so sessions
 * with different time zones agree and there is no 2038 limit.
 */
class MariaDbDialect extends JdbcDialect {

	private final String insert;

	private final String takeOver;

	private final String selectLive;

	private final String complete;

	private final String release;

	private final String deleteExpired;

	MariaDbDialect(TableName table) {
		this.insert = table.apply("""
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, UTC_TIMESTAMP(3) + INTERVAL :lockMillis * 1000 MICROSECOND, UTC_TIMESTAMP(3))
				""");
		this.takeOver = table.apply("""
				UPDATE %TABLE_NAME%
				SET fingerprint = :fingerprint, lock_token = :lockToken, response = NULL,
						expires_at = UTC_TIMESTAMP(3) + INTERVAL :lockMillis * 1000 MICROSECOND,
						created_at = UTC_TIMESTAMP(3)
				WHERE key_digest = :digest AND expires_at <= UTC_TIMESTAMP(3)
				""");
		this.selectLive = table.apply("""
				SELECT fingerprint, response,
						CEIL(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), expires_at) / 1000) AS remaining_millis
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > UTC_TIMESTAMP(3)
				""");
		this.complete = table.apply("""
				UPDATE %TABLE_NAME%
				SET response = :response, lock_token = NULL,
						expires_at = UTC_TIMESTAMP(3) + INTERVAL :retentionMillis * 1000 MICROSECOND
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > UTC_TIMESTAMP(3)
				""");
		this.release = table.apply("""
				DELETE FROM %TABLE_NAME%
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > UTC_TIMESTAMP(3)
				""");
		this.deleteExpired = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE expires_at <= UTC_TIMESTAMP(3) ORDER BY expires_at LIMIT :batchSize
				""");
	}

	@Override
	String insert() {
		return insert;
	}

	@Override
	String takeOver() {
		return takeOver;
	}

	@Override
	String selectLive() {
		return selectLive;
	}

	@Override
	String complete() {
		return complete;
	}

	@Override
	String release() {
		return release;
	}

	@Override
	String deleteExpired() {
		return deleteExpired;
	}

}
