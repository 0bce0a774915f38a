package dev.idempotency;

import java.time.Duration;

/**
 * Another execution with the same key and the same request is still running. A caller
 * that can come back later (an HTTP client, a message broker redelivering) should: the
 * first execution's result will then be replayed.
 */
public class IdempotencyInFlightException extends RuntimeException {

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param key the key in flight (its client part is not in the message)
	 * @param retryAfter about how long until the running execution's lock expires at the
	 * latest
	 */
	public IdempotencyInFlightException(IdempotencyKey key, Duration retryAfter) {
		super("An execution with the same idempotency key is still running (" + key.endpoint() + "); retry after "
				+ retryAfter);
		this.retryAfter = retryAfter;
	}

	/**
	 * About how long until the running execution's lock expires at the latest.
	 * @return the time to wait before retrying
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
