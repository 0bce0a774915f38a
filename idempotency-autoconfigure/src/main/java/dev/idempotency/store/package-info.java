/**
 * Store implementations of {@link dev.idempotency.IdempotencyStore} and what they share.
 */
@NullMarked
package dev.idempotency.store;

import org.jspecify.annotations.NullMarked;
