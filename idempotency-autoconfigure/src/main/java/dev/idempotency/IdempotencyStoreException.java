package dev.idempotency;

/**
 * A store's backend failed or did not answer in time. The web layer answers
 * {@code 503 Service Unavailable} and never runs a handler that nothing durable granted.
 */
public class IdempotencyStoreException extends RuntimeException {

	public IdempotencyStoreException(String message, Throwable cause) {
		super(message, cause);
	}

	public IdempotencyStoreException(String message) {
		super(message);
	}

}
