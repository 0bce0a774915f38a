package dev.idempotency.sample.gateway;

/**
 * The gateway could not be reached or failed before doing anything; nothing was charged
 * or refunded, and the same call may be retried with the same key.
 */
public class GatewayUnavailableException extends RuntimeException {

	public GatewayUnavailableException(String message) {
		super(message);
	}

}
