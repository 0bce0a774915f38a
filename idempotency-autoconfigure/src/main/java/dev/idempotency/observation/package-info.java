/**
 * Micrometer Observation of idempotent operations: the context, the convention that names
 * and tags them, and the documented key names.
 */
@NullMarked
package dev.idempotency.observation;

import org.jspecify.annotations.NullMarked;
