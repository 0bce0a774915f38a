package dev.idempotency.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Runs each statement on a connection of its own, committed on its own.
 * <p>
 * A claim must be visible to every instance as soon as it is made and must survive the
 * caller's rollback: were it to join the caller's transaction, a second request could not
 * see it (and would run the operation again) and a rollback would silently free the key.
 * So statements never go through Spring's transaction-bound connection (JDBC or JPA,
 * bound or not as an "active" transaction): each borrows a connection straight from the
 * pool and runs in auto-commit, one round trip with its commit, also on pools that hand
 * out connections with auto-commit off. A query timeout bounds every statement, lock
 * waits included.
 */
final class IsolatedJdbc {

	private final DataSource dataSource;

	private final SQLExceptionTranslator exceptionTranslator;

	private final Map<String, ParsedSql> parsedStatements = new ConcurrentHashMap<>();

	private volatile int timeoutSeconds;

	IsolatedJdbc(DataSource dataSource) {
		this.dataSource = withoutTransactionAwareProxy(dataSource);
		this.exceptionTranslator = new JdbcTemplate(this.dataSource).getExceptionTranslator();
	}

	/**
	 * A transaction-aware proxy hands out the caller's transactional connection, where
	 * switching auto-commit on would commit the caller's work: go around it.
	 */
	static DataSource withoutTransactionAwareProxy(DataSource dataSource) {
		if (dataSource instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
			return proxy.getTargetDataSource();
		}
		return dataSource;
	}

	void setTimeout(Duration timeout) {
		this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
	}

	/** The bound on each statement, in JDBC's whole seconds. */
	int timeoutSeconds() {
		return timeoutSeconds;
	}

	/** The pool that connections come from, never a transaction-aware proxy. */
	DataSource dataSource() {
		return dataSource;
	}

	int update(String sql, Map<String, ?> params) {
		return run(sql, params, PreparedStatement::executeUpdate);
	}

	<T> Optional<T> queryOne(String sql, Map<String, ?> params, RowMapper<T> mapper) {
		return run(sql, params, (statement) -> {
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? Optional.ofNullable(mapper.mapRow(rs, 0)) : Optional.empty();
			}
		});
	}

	private <T> T run(String namedSql, Map<String, ?> params, StatementAction<T> action) {
		ParsedSql parsed = parsedStatements.computeIfAbsent(namedSql, NamedParameterUtils::parseSqlStatement);
		MapSqlParameterSource source = new MapSqlParameterSource(params);
		String sql = NamedParameterUtils.substituteNamedParameters(parsed, source);
		Object[] args = NamedParameterUtils.buildValueArray(parsed, source, null);
		try (Connection connection = dataSource.getConnection()) {
			boolean pooledWithoutAutoCommit = !connection.getAutoCommit();
			if (pooledWithoutAutoCommit) {
				connection.setAutoCommit(true);
			}
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				statement.setQueryTimeout(timeoutSeconds);
				for (int i = 0; i < args.length; i++) {
					StatementCreatorUtils.setParameterValue(statement, i + 1, SqlTypeValue.TYPE_UNKNOWN, args[i]);
				}
				return action.run(statement);
			}
			finally {
				if (pooledWithoutAutoCommit) {
					connection.setAutoCommit(false);
				}
			}
		}
		catch (SQLException ex) {
			DataAccessException translated = exceptionTranslator.translate("idempotency store", sql, ex);
			throw (translated != null) ? translated : new UncategorizedSQLException("idempotency store", sql, ex);
		}
	}

	@FunctionalInterface
	private interface StatementAction<T> {

		T run(PreparedStatement statement) throws SQLException;

	}

}
