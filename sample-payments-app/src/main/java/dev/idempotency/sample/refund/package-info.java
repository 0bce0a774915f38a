/**
 * Refunds of payments, exactly once and never beyond the remaining amount.
 */
@NullMarked
package dev.idempotency.sample.refund;

import org.jspecify.annotations.NullMarked;
