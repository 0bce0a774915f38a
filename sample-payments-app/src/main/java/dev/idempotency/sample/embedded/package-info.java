/**
 * The default profile's embedded PostgreSQL and Redis, so the app starts with only a JDK.
 */
@NullMarked
package dev.idempotency.sample.embedded;

import org.jspecify.annotations.NullMarked;
