package dev.idempotency.jdbc;

/**
 * H2: insert, or take over an expired row by a conditional update.
 */
class H2Dialect extends JdbcDialect {

	private final String insert;

	private final String takeOver;

	private final String selectLive;

	private final String complete;

	private final String release;

	private final String deleteExpired;

	H2Dialect(TableName table) {
		this.insert = table.apply("""
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, DATEADD(MILLISECOND, :lockMillis, CURRENT_TIMESTAMP), CURRENT_TIMESTAMP)
				""");
		this.takeOver = table
			.apply("""
					UPDATE %TABLE_NAME%
					SET fingerprint = :fingerprint, lock_token = :lockToken, response = NULL,
							expires_at = DATEADD(MILLISECOND, :lockMillis, CURRENT_TIMESTAMP), created_at = CURRENT_TIMESTAMP
					WHERE key_digest = :digest AND expires_at <= CURRENT_TIMESTAMP
					""");
		this.selectLive = table.apply("""
				SELECT fingerprint, response, DATEDIFF(MILLISECOND, CURRENT_TIMESTAMP, expires_at) AS remaining_millis
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > CURRENT_TIMESTAMP
				""");
		this.complete = table.apply("""
				UPDATE %TABLE_NAME%
				SET response = :response, lock_token = NULL,
						expires_at = DATEADD(MILLISECOND, :retentionMillis, CURRENT_TIMESTAMP)
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > CURRENT_TIMESTAMP
				""");
		this.release = table.apply("""
				DELETE FROM %TABLE_NAME%
				WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > CURRENT_TIMESTAMP
				""");
		this.deleteExpired = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE expires_at <= CURRENT_TIMESTAMP FETCH FIRST :batchSize ROWS ONLY
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
