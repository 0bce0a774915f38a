package dev.idempotency.web;

import java.util.Optional;

import dev.idempotency.IdempotencyKey;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The key of the idempotent request the current thread serves, for code that forwards it,
 * for instance as a payment gateway's own idempotency key. A handler may instead declare
 * a parameter of type {@link IdempotencyKey}.
 */
public final class CurrentIdempotencyKey {

	private CurrentIdempotencyKey() {
	}

	/**
	 * The current key.
	 * @return the key, or empty outside a request that acquired one
	 */
	public static Optional<IdempotencyKey> get() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		Object state = (attributes != null)
				? attributes.getAttribute(IdempotentRequest.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) : null;
		return (state instanceof IdempotentRequest request) ? Optional.of(request.key()) : Optional.empty();
	}

}
