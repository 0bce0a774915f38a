/**
 * Micrometer meters for the idempotency layer.
 */
@NullMarked
package dev.idempotency.metrics;

import org.jspecify.annotations.NullMarked;
