package dev.idempotency.jdbc;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.LockTokens;
import dev.idempotency.store.StoredResponseCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * An {@link IdempotencyStore} in a relational database table: PostgreSQL, H2, MariaDB or
 * MySQL, detected from the connection. The schema ships in this package
 * ({@code schema-<platform>.sql}); see {@link JdbcIdempotencySchemaInitializer}.
 * <p>
 * A row per key, identified by {@link IdempotencyKey#digest()} (the primary key, small
 * enough for every database's index limits). The primary key decides the winner of
 * concurrent claims: a claim inserts, and when a row is there reads it (a replay, a
 * conflict or a mismatch: one write-free insert attempt and one read); an expired row
 * (lock timed out, or retention over) is taken over by {@code UPDATE ... WHERE
 * expires_at <= now}, which only one claimer can match. All expiry decisions use the
 * database's clock.
 * <p>
 * The fencing token of an acquisition is the database's clock in microseconds, or the
 * row's previous token plus one when that is greater (a takeover): strictly increasing
 * per key as long as the database's clock does not step back by more than the time
 * between a key's row being deleted and the key being claimed again. A lock is renewed by
 * one conditional {@code UPDATE} of its expiry.
 * <p>
 * A lock token owns its row only while the lock is unexpired, as in every other store: a
 * request that outlived its lock can neither complete nor release, even if nobody took
 * over yet. Each statement runs on a pooled connection of its own in auto-commit, never
 * in the caller's transaction, so a claim is visible at once and survives a caller's
 * rollback; this needs a second connection when the caller holds one. Thread-safe.
 * Expired rows stay until {@link #deleteExpired} removes them (see
 * {@link JdbcExpiredRecordsCleaner}).
 */
public class JdbcIdempotencyStore implements IdempotencyStore {

	/** Default table name. */
	public static final String DEFAULT_TABLE_NAME = "idempotency_keys";

	/** Default bound on each statement, lock waits included. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** Longest fingerprint the {@code fingerprint} column holds. */
	public static final int MAX_FINGERPRINT_LENGTH = 128;

	/** A row may expire or be deleted between a failed claim and its read; then retry. */
	static final int CLAIM_ATTEMPTS = 3;

	private final DataSource dataSource;

	private final TableName tableName;

	private final IsolatedJdbc jdbc;

	private volatile @Nullable JdbcStatements statements;

	private volatile @Nullable DatabaseDriver driver;

	public JdbcIdempotencyStore(DataSource dataSource) {
		this(dataSource, DEFAULT_TABLE_NAME);
	}

	/**
	 * Creates a store over the table. The database is detected now when it answers (an
	 * unsupported one, or a table created by 0.1 without the {@code fencing_token}
	 * column, fails here), otherwise on first use, so an application can start while its
	 * database is briefly down.
	 * @param dataSource the database
	 * @param tableName the table, optionally schema-qualified
	 * @throws IllegalStateException if the database is not supported or the table lacks a
	 * column
	 */
	public JdbcIdempotencyStore(DataSource dataSource, String tableName) {
		this.dataSource = dataSource;
		this.tableName = new TableName(tableName);
		this.jdbc = new IsolatedJdbc(dataSource);
		setTimeout(DEFAULT_TIMEOUT);
		try {
			this.statements = detectStatements();
		}
		catch (MetaDataAccessException ex) {
			// Not reachable now: detected on first use.
		}
	}

	/**
	 * Bounds each statement (rounded up to whole seconds, as JDBC counts them).
	 * @param timeout the longest a statement may take
	 */
	public void setTimeout(Duration timeout) {
		this.jdbc.setTimeout(timeout);
	}

	public String getTableName() {
		return tableName.qualified();
	}

	@Override
	public String toString() {
		return "JdbcIdempotencyStore[" + tableName.qualified() + "]";
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		requireClaimable(fingerprint, lockTimeout);
		return call("claim", () -> {
			for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
				String token = LockTokens.newToken();
				Map<String, Object> params = claimParameters(key, fingerprint, token, lockTimeout);
				Optional<Long> inserted = insert(params);
				if (inserted.isPresent()) {
					return new ClaimResult.Acquired(token, inserted.get());
				}
				Optional<LiveRow> row = findLive(key);
				if (row.isPresent()) {
					return row.get().answer(fingerprint);
				}
				Optional<Long> takenOver = write(statements().takeOver(), params);
				if (takenOver.isPresent()) {
					return new ClaimResult.Acquired(token, takenOver.get());
				}
			}
			throw new IdempotencyStoreException("The row of an idempotency key changed during " + CLAIM_ATTEMPTS
					+ " claim attempts in table " + tableName.qualified());
		});
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		requirePositive("retention", retention);
		Map<String, Object> params = Map.of("digest", key.digest(), "lockToken", lockToken, "response",
				encoded(response), "retentionMillis", retention.toMillis());
		return call("complete", () -> jdbc.update(statements().storeResponse(), params) == 1);
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		Map<String, Object> params = Map.of("digest", key.digest(), "lockToken", lockToken);
		return call("release", () -> jdbc.update(statements().deleteRow(), params) == 1);
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		requirePositive("lockTimeout", lockTimeout);
		Map<String, Object> params = Map.of("digest", key.digest(), "lockToken", lockToken, "lockMillis",
				lockTimeout.toMillis());
		return call("renew", () -> jdbc.update(statements().extendLock(), params) == 1);
	}

	/**
	 * Deletes the key's unexpired row; an expired one is left to {@link #deleteExpired}.
	 * The next claim inserts a new row with a new lock token, so an evicted owner cannot
	 * complete over it.
	 */
	@Override
	public boolean evict(IdempotencyKey key) {
		return call("evict", () -> jdbc.update(statements().evictRow(), Map.of("digest", key.digest())) == 1);
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return call("find", () -> jdbc.queryOne(statements().selectRecord(), Map.of("digest", key.digest()),
				LiveRow.RECORD_MAPPER));
	}

	/**
	 * On PostgreSQL, a view whose claims and completions join the caller's transaction on
	 * this store's {@code DataSource}. Empty on the other databases; when the database
	 * has not answered yet, the view checks it on first use.
	 */
	@Override
	public Optional<IdempotencyStore> joiningTransactions() {
		DatabaseDriver detected = this.driver;
		if (detected != null && detected != DatabaseDriver.POSTGRESQL) {
			return Optional.empty();
		}
		return Optional.of(new TransactionJoiningJdbcStore(this, jdbc.dataSource(), tableName, this::postgresStatements,
				jdbc.timeoutSeconds()));
	}

	private JdbcStatements postgresStatements() {
		JdbcStatements detected = statements();
		if (this.driver != DatabaseDriver.POSTGRESQL) {
			throw new IllegalStateException("Claims that join transactions need PostgreSQL, not " + this.driver);
		}
		return detected;
	}

	/**
	 * Deletes expired rows (completed past retention, or in flight past the lock
	 * timeout), at most a batch in one short statement. Safe on every instance at once.
	 * @param batchSize the most rows to delete
	 * @return how many rows were deleted
	 */
	public int deleteExpired(int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be positive");
		}
		return call("delete expired rows",
				() -> jdbc.update(statements().deleteExpired(), Map.of("batchSize", batchSize)));
	}

	private Optional<Long> insert(Map<String, Object> params) {
		try {
			return write(statements().insert(), params);
		}
		catch (DuplicateKeyException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Runs an insert or takeover: the fencing token of the row it wrote, or empty if it
	 * wrote none (or lost the row again before reading the token back).
	 */
	private Optional<Long> write(String statement, Map<String, Object> params) {
		String selectFence = statements().selectFence();
		if (selectFence == null) {
			return jdbc.queryOne(statement, params, (rs, row) -> rs.getLong(1));
		}
		if (jdbc.update(statement, params) != 1) {
			return Optional.empty();
		}
		return jdbc.queryOne(selectFence, params, (rs, row) -> rs.getLong(1));
	}

	private Optional<LiveRow> findLive(IdempotencyKey key) {
		return jdbc.queryOne(statements().selectLive(), Map.of("digest", key.digest()), LiveRow.MAPPER);
	}

	private JdbcStatements statements() {
		JdbcStatements detected = this.statements;
		if (detected == null) {
			try {
				detected = detectStatements();
			}
			catch (MetaDataAccessException ex) {
				throw new IdempotencyStoreException("Could not detect the database of the idempotency store", ex);
			}
			catch (IllegalStateException ex) {
				throw new IdempotencyStoreException(ex.getMessage(), ex);
			}
			this.statements = detected;
		}
		return detected;
	}

	/** The database's statements, once its table is known to have every column. */
	private JdbcStatements detectStatements() throws MetaDataAccessException {
		String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		DatabaseDriver detectedDriver = DatabaseDriver.fromProductName(product);
		JdbcStatements detected = JdbcStatements.of(detectedDriver, product, tableName);
		new JdbcSchemaCheck(jdbc, tableName).requireFencingTokenColumn();
		this.driver = detectedDriver;
		return detected;
	}

	/**
	 * Whether the store's statements run on this data source (a transaction-aware proxy
	 * of it counts as it).
	 * @param dataSource the data source, such as the one a transaction manager manages
	 * @return whether it is the store's
	 */
	public boolean runsOn(DataSource dataSource) {
		return IsolatedJdbc.withoutTransactionAwareProxy(dataSource) == jdbc.dataSource();
	}

	/** What the table can hold: checked before a claim, in either view. */
	static void requireClaimable(String fingerprint, Duration lockTimeout) {
		if (fingerprint.isEmpty() || fingerprint.length() > MAX_FINGERPRINT_LENGTH) {
			throw new IllegalArgumentException("fingerprint must have 1 to " + MAX_FINGERPRINT_LENGTH + " characters");
		}
		requirePositive("lockTimeout", lockTimeout);
	}

	/** The named parameters of a claim's statements (see {@link JdbcStatements}). */
	static Map<String, Object> claimParameters(IdempotencyKey key, String fingerprint, String lockToken,
			Duration lockTimeout) {
		return Map.of("digest", key.digest(), "scope", key.scope(), "endpoint", key.endpoint(), "clientKey",
				key.clientKey(), "fingerprint", fingerprint, "lockToken", lockToken, "lockMillis",
				lockTimeout.toMillis());
	}

	/** Runs the statements, reporting a database failure as a store failure. */
	<T> T call(String operation, Supplier<T> statements) {
		try {
			return statements.get();
		}
		catch (DataAccessException ex) {
			throw new IdempotencyStoreException(
					"Idempotency store could not " + operation + " in table " + tableName.qualified(), ex);
		}
	}

	/** A response the codec refuses is a store failure, as it is in the Redis store. */
	static byte[] encoded(StoredResponse response) {
		try {
			return StoredResponseCodec.encode(response);
		}
		catch (IllegalArgumentException ex) {
			throw new IdempotencyStoreException("Response cannot be stored: " + ex.getMessage(), ex);
		}
	}

	private static void requirePositive(String name, Duration duration) {
		if (duration.toMillis() < 1) {
			throw new IllegalArgumentException(name + " must be at least a millisecond, not " + duration);
		}
	}

}
