package dev.idempotency.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.StoredResponseCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} on a relational database (PostgreSQL, H2, MariaDB, MySQL).
 * The table's primary key is the key's digest, which stands for the unique (scope,
 * endpoint, key) triple: the claim is an insert that does nothing when the key exists,
 * then, for an existing row, one conditional update that takes over an expired lock or
 * record; exactly one concurrent claimer can win either. Completion and release act only
 * while the caller's lock token owns the unexpired row. All times come from the
 * database's clock, so instances with skewed clocks agree.
 *
 * <p>
 * Every operation runs in its own short transaction, suspending any transaction of the
 * caller: a claim must be visible to other requests at once, and must not roll back with
 * the caller's work. The schema ships per database as
 * {@code dev/idempotency/jdbc/schema-<platform>.sql}.
 */
public class JdbcIdempotencyStore implements IdempotencyStore {

	/** The table, unless given. */
	public static final String DEFAULT_TABLE_NAME = "idempotency_keys";

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");

	/** A row can vanish (deleted as expired) between the insert and the read. */
	private static final int MAX_CLAIM_ATTEMPTS = 5;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final String tableName;

	private volatile @Nullable Statements statements;

	public JdbcIdempotencyStore(DataSource dataSource) {
		this(dataSource, DEFAULT_TABLE_NAME);
	}

	public JdbcIdempotencyStore(DataSource dataSource, String tableName) {
		Assert.isTrue(TABLE_NAME.matcher(tableName).matches(), () -> "Invalid table name: " + tableName);
		this.dataSource = dataSource;
		this.tableName = tableName;
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		String token = UUID.randomUUID().toString();
		for (int attempt = 1;; attempt++) {
			try {
				ClaimResult result = tryClaim(key, fingerprint, token, lockTimeout);
				if (result != null) {
					return result;
				}
			}
			catch (IdempotencyStoreException ex) {
				// MariaDB may pick a racing claimer as a deadlock victim: its claim
				// simply
				// lost, and asking again reads the winner's row.
				if (!(ex.getCause() instanceof PessimisticLockingFailureException) || attempt >= MAX_CLAIM_ATTEMPTS) {
					throw ex;
				}
			}
			if (attempt >= MAX_CLAIM_ATTEMPTS) {
				throw new IdempotencyStoreException("Could not claim " + key + ": its row kept changing");
			}
		}
	}

	/**
	 * Inserts, or takes over an expired row, or reads the row there is: each statement in
	 * a transaction of its own, so no claimer holds one row lock while asking for
	 * another. Null when the row vanished in between.
	 */
	private @Nullable ClaimResult tryClaim(IdempotencyKey key, String fingerprint, String token, Duration lock) {
		Statements sql = statements();
		if (inTransaction("claim", () -> insert(sql, key, fingerprint, token, lock))
				|| inTransaction("claim", () -> takeOver(sql, key, fingerprint, token, lock))) {
			return new ClaimResult.Acquired(token);
		}
		return inTransaction("claim",
				() -> jdbc.sql(sql.readClaim)
					.param(key.digest())
					.query((rs, row) -> existingClaim(rs, fingerprint))
					.optional())
			.orElse(null);
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		byte[] encoded = StoredResponseCodec.encode(response);
		return inTransaction("complete",
				() -> jdbc.sql(statements().complete)
					.params(encoded, retention.toMillis(), key.digest(), lockToken)
					.update() == 1);
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return inTransaction("release",
				() -> jdbc.sql(statements().release).params(key.digest(), lockToken).update() == 1);
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return inTransaction("find",
				() -> jdbc.sql(statements().find)
					.param(key.digest())
					.query((rs, row) -> new IdempotencyRecord(rs.getString("fingerprint"), response(rs)))
					.optional());
	}

	/**
	 * Deletes at most {@code batchSize} expired rows (completed past their retention, or
	 * in flight past their lock timeout). Safe to run on every instance at once.
	 * @param batchSize the most rows to delete
	 * @return how many rows were deleted
	 */
	public int deleteExpired(int batchSize) {
		return inTransaction("cleanup", () -> jdbc.sql(statements().deleteExpired).param(batchSize).update());
	}

	/**
	 * The table's name.
	 * @return the table name
	 */
	public String getTableName() {
		return tableName;
	}

	private boolean insert(Statements sql, IdempotencyKey key, String fingerprint, String token, Duration lock) {
		try {
			return jdbc.sql(sql.insertIfAbsent)
				.params(key.digest(), key.scope(), key.endpoint(), key.clientKey(), fingerprint, token, lock.toMillis())
				.update() == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	private boolean takeOver(Statements sql, IdempotencyKey key, String fingerprint, String token, Duration lock) {
		return jdbc.sql(sql.takeOver).params(fingerprint, token, lock.toMillis(), key.digest()).update() == 1;
	}

	private static ClaimResult existingClaim(ResultSet rs, String fingerprint) throws SQLException {
		if (!rs.getString("fingerprint").equals(fingerprint)) {
			return new ClaimResult.Mismatch();
		}
		StoredResponse response = response(rs);
		if (response != null) {
			return new ClaimResult.Completed(response);
		}
		return new ClaimResult.InFlight(Duration.ofMillis(Math.max(1, rs.getLong("millis_left"))));
	}

	private static @Nullable StoredResponse response(ResultSet rs) throws SQLException {
		byte[] response = rs.getBytes("response");
		return (response != null) ? StoredResponseCodec.decode(response) : null;
	}

	private <T> T inTransaction(String operation, Supplier<T> work) {
		try {
			T result = transactions.execute((status) -> work.get());
			Assert.state(result != null, "No result");
			return result;
		}
		catch (DataAccessException | TransactionException | IllegalStateException ex) {
			throw new IdempotencyStoreException(
					"Database " + operation + " failed on " + tableName + ": " + ex.getMessage(), ex);
		}
	}

	private Statements statements() {
		Statements statements = this.statements;
		if (statements == null) {
			// Resolved on first use, so that the application starts while the database is
			// down (requests then get 503 until it is back).
			statements = new Statements(JdbcDialect.of(dataSource), tableName);
			this.statements = statements;
		}
		return statements;
	}

	@Override
	public String toString() {
		return "JdbcIdempotencyStore[" + tableName + "]";
	}

	/** The SQL of one dialect and table. */
	private static final class Statements {

		final String insertIfAbsent;

		final String takeOver;

		final String readClaim;

		final String complete;

		final String release;

		final String find;

		final String deleteExpired;

		Statements(JdbcDialect dialect, String tableName) {
			this.insertIfAbsent = table(dialect.insertIfAbsent(), tableName);
			this.takeOver = table("""
					UPDATE %TABLE_NAME% SET fingerprint = ?, lock_token = ?, response = NULL,
					expires_at = %PLUS%, created_at = %NOW%
					WHERE key_digest = ? AND expires_at <= %NOW%""", tableName, dialect);
			this.readClaim = table("""
					SELECT fingerprint, response, %MILLIS_LEFT% AS millis_left FROM %TABLE_NAME%
					WHERE key_digest = ? AND expires_at > %NOW%""", tableName, dialect);
			this.complete = table("""
					UPDATE %TABLE_NAME% SET response = ?, lock_token = NULL, expires_at = %PLUS%
					WHERE key_digest = ? AND lock_token = ? AND expires_at > %NOW%""", tableName, dialect);
			this.release = table("""
					DELETE FROM %TABLE_NAME% WHERE key_digest = ? AND lock_token = ? AND expires_at > %NOW%""",
					tableName, dialect);
			this.find = table("""
					SELECT fingerprint, response FROM %TABLE_NAME% WHERE key_digest = ? AND expires_at > %NOW%""",
					tableName, dialect);
			this.deleteExpired = table(dialect.deleteExpired(), tableName);
		}

		private static String table(String sql, String tableName, JdbcDialect dialect) {
			return table(sql.replace("%PLUS%", dialect.nowPlusMillis())
				.replace("%MILLIS_LEFT%", dialect.millisLeft())
				.replace("%NOW%", dialect.now()), tableName);
		}

		private static String table(String sql, String tableName) {
			return sql.replace("%TABLE_NAME%", tableName);
		}

	}

}
