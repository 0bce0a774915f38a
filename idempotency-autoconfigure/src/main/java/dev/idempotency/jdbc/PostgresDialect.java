package dev.idempotency.jdbc;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT DO NOTHING} claims a free key without
 * touching an existing row (so a replay writes nothing and commits without a WAL flush);
 * a conditional update takes over an expired row. Cleanup skips rows that a takeover
 * holds locked.
 */
class PostgresDialect extends JdbcDialect {

	private final String insert;

	private final String takeOver;

	private final String selectLive;

	private final String complete;

	private final String release;

	private final String deleteExpired;

	PostgresDialect(TableName table) {
		this.insert = table.apply("""
				INSERT INTO %TABLE_NAME% (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, now() + :lockMillis * INTERVAL '1 millisecond', now())
				ON CONFLICT (key_digest) DO NOTHING
				""");
		this.takeOver = table.apply("""
				UPDATE %TABLE_NAME%
				SET fingerprint = :fingerprint, lock_token = :lockToken, response = NULL,
						expires_at = now() + :lockMillis * INTERVAL '1 millisecond', created_at = now()
				WHERE key_digest = :digest AND expires_at <= now()
				""");
		this.selectLive = table.apply("""
				SELECT fingerprint, response,
						CAST(CEIL(EXTRACT(EPOCH FROM (expires_at - now())) * 1000) AS BIGINT) AS remaining_millis
				FROM %TABLE_NAME% WHERE key_digest = :digest AND expires_at > now()
				""");
		this.complete = table
			.apply("""
					UPDATE %TABLE_NAME%
					SET response = :response, lock_token = NULL, expires_at = now() + :retentionMillis * INTERVAL '1 millisecond'
					WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > now()
					""");
		this.release = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest = :digest AND lock_token = :lockToken AND expires_at > now()
				""");
		this.deleteExpired = table.apply("""
				DELETE FROM %TABLE_NAME% WHERE key_digest IN (
						SELECT key_digest FROM %TABLE_NAME% WHERE expires_at <= now()
						LIMIT :batchSize FOR UPDATE SKIP LOCKED)
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
