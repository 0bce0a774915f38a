package dev.idempotency.web;

import java.util.Optional;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.engine.RunningOperation;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The operation a request runs, kept as a request attribute from {@code preHandle} (of
 * the first dispatch, when the handler is async) until the filter records its outcome.
 *
 * @param operation the running operation, which owns the key
 * @param storedStatuses which of its final statuses are stored
 */
record IdempotentRequest(RunningOperation operation, StatusPolicy storedStatuses) {

	static final String ATTRIBUTE = IdempotentRequest.class.getName();

	IdempotencyKey key() {
		return operation.key();
	}

	static Optional<IdempotentRequest> of(HttpServletRequest request) {
		return Optional.ofNullable((IdempotentRequest) request.getAttribute(ATTRIBUTE));
	}

}
