package dev.idempotency.operation;

/**
 * An {@code @Idempotent} method was called with arguments whose key expression gives
 * nothing (a message without an id). Running it anyway could run it twice, so it does not
 * run. Listener containers should treat it as fatal (not requeue), since a redelivery
 * carries the same arguments.
 */
public class IdempotencyKeyMissingException extends IllegalArgumentException {

	/**
	 * Creates the exception.
	 * @param message what was missing
	 */
	public IdempotencyKeyMissingException(String message) {
		super(message);
	}

}
