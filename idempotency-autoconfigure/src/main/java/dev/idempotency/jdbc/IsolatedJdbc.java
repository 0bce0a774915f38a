package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each statement in a transaction of its own.
 * <p>
 * A claim must be visible to every instance as soon as it is made and must survive the
 * caller's rollback: were it to join the caller's transaction, a second request could not
 * see it (and would run the operation again) and a rollback would silently free the key.
 * A private transaction manager with {@code REQUIRES_NEW} suspends whatever transaction
 * the caller has bound to this {@link DataSource} (JDBC or JPA), which plain auto-commit
 * {@link JdbcClient} calls would not: they would join it. The transaction timeout also
 * bounds every statement (a lock wait included).
 */
final class IsolatedJdbc {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	IsolatedJdbc(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	void setTimeout(Duration timeout) {
		this.transactions.setTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
	}

	int update(String sql, Map<String, ?> params) {
		Integer count = transactions.execute((status) -> jdbc.sql(sql).params(params).update());
		return (count != null) ? count : 0;
	}

	<T> Optional<T> queryOne(String sql, Map<String, ?> params, RowMapper<T> mapper) {
		Optional<T> row = transactions.execute((status) -> jdbc.sql(sql).params(params).query(mapper).optional());
		return (row != null) ? row : Optional.empty();
	}

}
