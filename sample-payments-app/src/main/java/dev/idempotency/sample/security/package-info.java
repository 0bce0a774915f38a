/**
 * Merchants authenticate with their bearer API key; the merchant is the idempotency
 * scope.
 */
@NullMarked
package dev.idempotency.sample.security;

import org.jspecify.annotations.NullMarked;
