package dev.idempotency.jdbc;

import java.util.regex.Pattern;

/**
 * A validated table name, optionally schema-qualified. It is written into SQL, so only
 * identifier characters are accepted.
 *
 * @param qualified the name as given, such as {@code idempotency_keys} or
 * {@code app.idempotency_keys}
 */
record TableName(String qualified) {

	/** Replaced by the table name, schema-qualified when it is. */
	static final String TABLE_NAME_PLACEHOLDER = "%TABLE_NAME%";

	/** Replaced by the table name without its schema (for names of indexes). */
	static final String TABLE_SIMPLE_NAME_PLACEHOLDER = "%TABLE_SIMPLE_NAME%";

	private static final Pattern VALID = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*");

	TableName {
		if (qualified == null || !VALID.matcher(qualified).matches()) {
			throw new IllegalArgumentException(
					"Table name must be an identifier, optionally schema-qualified, not '" + qualified + "'");
		}
	}

	String simple() {
		return qualified.substring(qualified.indexOf('.') + 1);
	}

	String apply(String template) {
		return template.replace(TABLE_NAME_PLACEHOLDER, qualified).replace(TABLE_SIMPLE_NAME_PLACEHOLDER, simple());
	}

}
