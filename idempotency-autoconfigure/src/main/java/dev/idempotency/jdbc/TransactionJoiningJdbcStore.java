package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.HashMap;
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

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The view of a {@link JdbcIdempotencyStore} whose writes join the transaction on the
 * calling thread (see {@link IdempotencyStore#joiningTransactions()}), on PostgreSQL.
 * <p>
 * A claim takes a transaction-scoped advisory lock on the key without waiting, and
 * inserts the key's row in the caller's transaction: nobody else sees the row before the
 * commit, and a concurrent claim, unable to take the lock, answers in flight at once. A
 * key whose committed row is there is answered from it (a replay or a mismatch), or taken
 * over when it expired, as in the store itself. Completing writes the response into the
 * row in the same transaction; the caller's commit makes the claim, its own writes and
 * the response durable together, its rollback leaves none of them. Statements go through
 * the transaction's connection (Spring's {@code DataSourceUtils}), which must be one of
 * the store's {@code DataSource}: a claim outside such a transaction is refused.
 */
final class TransactionJoiningJdbcStore implements IdempotencyStore {

	/**
	 * When another transaction holds the key, how long its client is told to wait: the
	 * holder's own lock timeout is not known, and most operations take less than this.
	 */
	static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final JdbcIdempotencyStore store;

	private final DataSource dataSource;

	private final int lockSpace;

	private final NamedParameterJdbcTemplate jdbc;

	private final Supplier<JdbcStatements> statements;

	private final TransactionalStatements transactional;

	TransactionJoiningJdbcStore(JdbcIdempotencyStore store, DataSource dataSource, TableName table,
			Supplier<JdbcStatements> statements, int timeoutSeconds) {
		this.store = store;
		this.dataSource = dataSource;
		this.lockSpace = table.qualified().hashCode();
		this.statements = statements;
		this.transactional = PostgresStatements.transactional(table);
		this.jdbc = new NamedParameterJdbcTemplate(dataSource);
		this.jdbc.getJdbcTemplate().setQueryTimeout(timeoutSeconds);
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		JdbcIdempotencyStore.requireClaimable(fingerprint, lockTimeout);
		requireTransaction();
		return store.call("claim within the caller's transaction", () -> {
			for (int attempt = 0; attempt < JdbcIdempotencyStore.CLAIM_ATTEMPTS; attempt++) {
				String token = LockTokens.newToken();
				Map<String, Object> params = new HashMap<>(
						JdbcIdempotencyStore.claimParameters(key, fingerprint, token, lockTimeout));
				params.put("lockSpace", lockSpace);
				params.put("lockKey", key.digest().hashCode());
				Optional<Long> inserted = fencingToken(transactional.claim(), params);
				if (inserted.isPresent()) {
					return new ClaimResult.Acquired(token, inserted.get());
				}
				if (!Boolean.TRUE.equals(jdbc.queryForObject(transactional.lockKey(), params, Boolean.class))) {
					return new ClaimResult.InFlight(RETRY_AFTER);
				}
				Optional<LiveRow> row = jdbc.query(statements.get().selectLive(), params, LiveRow.MAPPER)
					.stream()
					.findFirst();
				if (row.isPresent()) {
					return row.get().answer(fingerprint);
				}
				Optional<Long> takenOver = fencingToken(statements.get().takeOver(), params);
				if (takenOver.isPresent()) {
					return new ClaimResult.Acquired(token, takenOver.get());
				}
			}
			throw new IdempotencyStoreException("The row of an idempotency key changed during "
					+ JdbcIdempotencyStore.CLAIM_ATTEMPTS + " claim attempts in " + store);
		});
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		requireTransaction();
		Map<String, Object> params = Map.of("digest", key.digest(), "lockToken", lockToken, "response",
				JdbcIdempotencyStore.encoded(response), "retentionMillis", retention.toMillis());
		return store.call("complete within the caller's transaction",
				() -> jdbc.update(transactional.storeResponse(), params) == 1);
	}

	/** The caller's rollback removes the claim: there is nothing to delete before it. */
	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return true;
	}

	/** The transaction holds the claim for as long as it runs. */
	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		return true;
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		return store.evict(key);
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return store.find(key);
	}

	@Override
	public Optional<IdempotencyStore> joiningTransactions() {
		return Optional.of(this);
	}

	@Override
	public String toString() {
		return store + "(joining transactions)";
	}

	/**
	 * Without a transaction holding a connection of this store's {@code DataSource}, each
	 * statement would commit on its own: the claim would be visible before the
	 * operation's writes, and a rollback would leave it behind.
	 */
	private void requireTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()
				|| !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder)) {
			throw new IllegalStateException("A claim that joins the caller's transaction needs an active "
					+ "transaction on the DataSource of the idempotency table (" + store
					+ "); the transaction manager manages another resource, or no transaction is active");
		}
	}

	private Optional<Long> fencingToken(String statement, Map<String, Object> params) {
		return jdbc.query(statement, params, (rs, n) -> rs.getLong(1)).stream().findFirst();
	}

}
