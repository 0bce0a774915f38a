/**
 * Real Redis and PostgreSQL servers for tests and the sample app.
 */
@NullMarked
package dev.idempotency.testservers;

import org.jspecify.annotations.NullMarked;
