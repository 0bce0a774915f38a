/**
 * Public API: {@link dev.idempotency.Idempotent}, the store SPI
 * ({@link dev.idempotency.IdempotencyStore}) and its value types.
 */
@NullMarked
package dev.idempotency;

import org.jspecify.annotations.NullMarked;
