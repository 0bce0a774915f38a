/**
 * An {@link dev.idempotency.IdempotencyStore} on Redis, through Spring Data Redis.
 */
@NullMarked
package dev.idempotency.redis;

import org.jspecify.annotations.NullMarked;
