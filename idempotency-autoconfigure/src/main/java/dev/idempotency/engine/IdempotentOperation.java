package dev.idempotency.engine;

import dev.idempotency.IdempotencyKey;

/**
 * One call of an idempotent operation, as an entry point presents it to the engine.
 *
 * @param key the scoped key
 * @param fingerprint identifies the request: a duplicate with another fingerprint is a
 * reused key
 * @param name the operation's name for metrics, of bounded cardinality (an endpoint's
 * mapping, a method's name), never the key
 * @param policy how it holds its key
 */
public record IdempotentOperation(IdempotencyKey key, String fingerprint, String name, OperationPolicy policy) {
}
