-- Idempotency keys and stored responses (H2). Safe to run again.
-- key_digest is IdempotencyKey.digest(): it identifies (scope, endpoint, key) unambiguously.
-- expires_at is the lock expiry while in flight (response IS NULL), the retention expiry once completed.
-- fencing_token is the token of the key's last acquisition (database clock in microseconds, or the previous one + 1).
CREATE TABLE IF NOT EXISTS %TABLE_NAME% (
	key_digest VARCHAR(64) NOT NULL PRIMARY KEY,
	scope VARCHAR(255) NOT NULL,
	endpoint VARCHAR(512) NOT NULL,
	idempotency_key VARCHAR(255) NOT NULL,
	fingerprint VARCHAR(128) NOT NULL,
	lock_token VARCHAR(64),
	response BLOB,
	expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
	created_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
	fencing_token BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS %TABLE_NAME%_expires_at_idx ON %TABLE_NAME% (expires_at);

-- A table created by 0.1 lacks the fencing token.
ALTER TABLE %TABLE_NAME% ADD COLUMN IF NOT EXISTS fencing_token BIGINT NOT NULL DEFAULT 0;
