/**
 * The payment gateway client and the simulated provider it calls over HTTP; the starter
 * gives each call a key derived from the idempotency key of the request that makes it.
 */
@NullMarked
package dev.idempotency.sample.gateway;

import org.jspecify.annotations.NullMarked;
