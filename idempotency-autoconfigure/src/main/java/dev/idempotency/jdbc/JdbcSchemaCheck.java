package dev.idempotency.jdbc;

import java.util.Map;

import org.springframework.dao.DataAccessException;

/**
 * Finds a table created by 0.1 that still lacks the {@code fencing_token} column, so that
 * the store fails at start-up with the statement that upgrades it rather than on every
 * claim. The shipped schema adds the column where the database can do so idempotently
 * (not on MySQL), but only when the schema initializer runs; applications that own their
 * schema (Flyway, Liquibase, {@code initialize-schema=never}) add it themselves. A
 * missing table or an unreachable database is not this check's business.
 */
final class JdbcSchemaCheck {

	private final IsolatedJdbc jdbc;

	private final TableName table;

	JdbcSchemaCheck(IsolatedJdbc jdbc, TableName table) {
		this.jdbc = jdbc;
		this.table = table;
	}

	/**
	 * Fails if the table exists without the {@code fencing_token} column.
	 * @throws IllegalStateException naming the statement to run
	 */
	void requireFencingTokenColumn() {
		if (answers("SELECT fencing_token FROM %TABLE_NAME% WHERE 1 = 0")
				|| !answers("SELECT key_digest FROM %TABLE_NAME% WHERE 1 = 0")) {
			return;
		}
		throw new IllegalStateException("Idempotency table " + table.qualified()
				+ " was created by version 0.1 and lacks the fencing_token column; add it with: " + upgradeStatement());
	}

	/**
	 * The statement that upgrades a 0.1 table, the same on every supported database.
	 * @return the statement
	 */
	String upgradeStatement() {
		return table.apply("ALTER TABLE %TABLE_NAME% ADD COLUMN fencing_token BIGINT NOT NULL DEFAULT 0");
	}

	private boolean answers(String query) {
		try {
			jdbc.queryOne(table.apply(query), Map.of(), (rs, row) -> Boolean.TRUE);
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

}
