/**
 * Idempotency for code that is not an HTTP handler: {@link IdempotencyTemplate} runs a
 * piece of code under a key, and {@code @Idempotent} on any bean method (a service, a
 * message listener, a scheduled job) goes through the same template, with its key, scope
 * and fingerprint from SpEL over the arguments. Results are stored as JSON with the
 * application's {@code JsonMapper} and handed back, never run twice.
 */
@NullMarked
package dev.idempotency.operation;

import org.jspecify.annotations.NullMarked;
