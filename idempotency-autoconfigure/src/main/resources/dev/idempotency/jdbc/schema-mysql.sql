-- Idempotency keys and stored responses. key_digest is the SHA-256 of the unambiguous
-- (scope, endpoint, key) encoding: unique per triple, and short enough to index anywhere.
-- TIMESTAMP(3) columns have explicit defaults so that no server mode adds ON UPDATE.
CREATE TABLE IF NOT EXISTS %TABLE_NAME% (
	key_digest VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	scope VARCHAR(255) NOT NULL,
	endpoint VARCHAR(512) NOT NULL,
	idempotency_key VARCHAR(255) NOT NULL,
	fingerprint VARCHAR(128) NOT NULL,
	lock_token VARCHAR(64),
	response LONGBLOB,
	expires_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	INDEX %TABLE_NAME%_expires_at_idx (expires_at)
) ENGINE = InnoDB;
