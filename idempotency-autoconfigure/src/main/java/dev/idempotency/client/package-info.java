/**
 * Carries idempotency to the services an operation calls: outbound HTTP requests made
 * while an idempotent operation runs get an {@code Idempotency-Key} of their own, derived
 * from the operation's key.
 */
@NullMarked
package dev.idempotency.client;

import org.jspecify.annotations.NullMarked;
