package dev.idempotency.jdbc;

import java.util.Map;

/**
 * PostgreSQL: one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE expired} both claims
 * a free key and takes over an expired row; it returns the token only when it wrote.
 * Cleanup skips rows that a claim holds locked.
 */
class PostgresDialect extends JdbcDialect {

	private final String claim;

	private final String selectLive;

	private final String complete;

	private final String release;

	private final String deleteExpired;

	PostgresDialect(TableName table) {
		this.claim = table.apply("""
				INSERT INTO %TABLE_NAME% AS t (key_digest, scope, endpoint, idempotency_key, fingerprint,
						lock_token, response, expires_at, created_at)
				VALUES (:digest, :scope, :endpoint, :clientKey, :fingerprint,
						:lockToken, NULL, now() + :lockMillis * INTERVAL '1 millisecond', now())
				ON CONFLICT (key_digest) DO UPDATE
				SET fingerprint = EXCLUDED.fingerprint, lock_token = EXCLUDED.lock_token, response = NULL,
						expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at
				WHERE t.expires_at <= now()
				RETURNING lock_token
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
	boolean claim(IsolatedJdbc jdbc, Map<String, ?> params) {
		return jdbc.queryOne(claim, params, (rs, row) -> rs.getString(1)).isPresent();
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
