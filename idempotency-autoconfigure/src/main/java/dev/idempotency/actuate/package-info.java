/**
 * The {@code idempotency} actuator endpoint: what the store holds for a key, and its
 * eviction.
 */
@NullMarked
package dev.idempotency.actuate;

import org.jspecify.annotations.NullMarked;
