package dev.idempotency;

/**
 * The key was already used, within its scope and operation, for a different request (the
 * fingerprints differ). Retrying will not help: the caller reused a key by mistake.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param key the key that was reused (its client part is not in the message)
	 */
	public IdempotencyKeyReusedException(IdempotencyKey key) {
		super("The idempotency key was already used for a different request (" + key.endpoint() + ")");
	}

}
