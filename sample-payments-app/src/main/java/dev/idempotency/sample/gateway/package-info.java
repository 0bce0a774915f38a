/**
 * The payment gateway client and its simulation; the app forwards a key derived from each
 * request's idempotency key.
 */
@NullMarked
package dev.idempotency.sample.gateway;

import org.jspecify.annotations.NullMarked;
