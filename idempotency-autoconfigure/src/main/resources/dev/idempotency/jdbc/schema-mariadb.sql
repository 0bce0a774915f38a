-- Idempotency keys and stored responses (MariaDB and MySQL, InnoDB). Safe to run again.
-- key_digest is IdempotencyKey.digest(): it identifies (scope, endpoint, key) unambiguously;
-- it is compared byte for byte (ascii_bin): Base64 digests differ by case.
-- expires_at (UTC) is the lock expiry while in flight (response IS NULL), the retention expiry once completed.
-- fencing_token is the token of the key's last acquisition (database clock in microseconds, or the previous one + 1).
CREATE TABLE IF NOT EXISTS %TABLE_NAME% (
	key_digest VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	scope VARCHAR(255) NOT NULL,
	endpoint VARCHAR(512) NOT NULL,
	idempotency_key VARCHAR(255) NOT NULL,
	fingerprint VARCHAR(128) NOT NULL,
	lock_token VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin,
	response LONGBLOB,
	expires_at DATETIME(3) NOT NULL,
	created_at DATETIME(3) NOT NULL,
	fencing_token BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (key_digest),
	INDEX %TABLE_SIMPLE_NAME%_expires_at_idx (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A table created by 0.1 lacks the fencing token.
ALTER TABLE %TABLE_NAME% ADD COLUMN IF NOT EXISTS fencing_token BIGINT NOT NULL DEFAULT 0;
