/**
 * A payments service that never charges twice, built on the idempotency starter.
 */
@NullMarked
package dev.idempotency.sample;

import org.jspecify.annotations.NullMarked;
