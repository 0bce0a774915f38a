/**
 * An {@link dev.idempotency.IdempotencyStore} on a relational database, through JDBC.
 */
@NullMarked
package dev.idempotency.jdbc;

import org.jspecify.annotations.NullMarked;
