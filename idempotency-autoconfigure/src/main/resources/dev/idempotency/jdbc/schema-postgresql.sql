-- Idempotency keys and stored responses. key_digest is the SHA-256 of the unambiguous
-- (scope, endpoint, key) encoding: unique per triple, and short enough to index anywhere.
CREATE TABLE IF NOT EXISTS %TABLE_NAME% (
	key_digest VARCHAR(64) NOT NULL PRIMARY KEY,
	scope VARCHAR(255) NOT NULL,
	endpoint VARCHAR(512) NOT NULL,
	idempotency_key VARCHAR(255) NOT NULL,
	fingerprint VARCHAR(128) NOT NULL,
	lock_token VARCHAR(64),
	response BYTEA,
	expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS %TABLE_NAME%_expires_at_idx ON %TABLE_NAME% (expires_at);
