/**
 * The JDBC store: {@link dev.idempotency.jdbc.JdbcIdempotencyStore} for PostgreSQL, H2
 * and MariaDB/MySQL, its shipped schema, schema initializer and expired-records cleaner.
 */
@NullMarked
package dev.idempotency.jdbc;

import org.jspecify.annotations.NullMarked;
