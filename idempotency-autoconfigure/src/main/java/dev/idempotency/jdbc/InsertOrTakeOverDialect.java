package dev.idempotency.jdbc;

import java.util.Map;

import org.springframework.dao.DuplicateKeyException;

/**
 * Claims in two statements, for databases without a conditional upsert that reports
 * whether it wrote: an insert, and when the key exists an update that takes the row over
 * only if it expired. The update locks the row and re-reads it, so of concurrent
 * takeovers exactly one matches.
 */
abstract class InsertOrTakeOverDialect extends JdbcDialect {

	abstract String insert();

	abstract String takeOver();

	@Override
	boolean claim(IsolatedJdbc jdbc, Map<String, ?> params) {
		try {
			return jdbc.update(insert(), params) == 1;
		}
		catch (DuplicateKeyException ex) {
			return jdbc.update(takeOver(), params) == 1;
		}
	}

}
