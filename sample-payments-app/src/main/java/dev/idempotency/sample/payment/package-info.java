/**
 * Payments: the API, the service that charges through the gateway, the JPA entity.
 */
@NullMarked
package dev.idempotency.sample.payment;

import org.jspecify.annotations.NullMarked;
