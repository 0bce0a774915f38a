package dev.idempotency.web;

import java.time.Duration;
import java.util.Optional;

import dev.idempotency.IdempotencyKey;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The state of a request that acquired its key, kept as a request attribute from
 * {@code preHandle} (of the first dispatch, when the handler is async) to
 * {@code afterCompletion}.
 *
 * @param key the key the request owns
 * @param lockToken proves it owns it
 * @param retention how long its response is kept
 * @param endpoint its endpoint's mapping, for metrics
 */
record IdempotentRequest(IdempotencyKey key, String lockToken, Duration retention, String endpoint) {

	static final String ATTRIBUTE = IdempotentRequest.class.getName();

	static Optional<IdempotentRequest> of(HttpServletRequest request) {
		return Optional.ofNullable((IdempotentRequest) request.getAttribute(ATTRIBUTE));
	}

}
