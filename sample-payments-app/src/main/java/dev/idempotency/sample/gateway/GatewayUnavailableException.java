package dev.idempotency.sample.gateway;

/**
 * The gateway could not be reached or failed. Whether it charged or refunded is unknown;
 * the same call may be retried: made again by a retry of the same operation, it carries
 * the same key, and the gateway answers with what it did, if anything.
 */
public class GatewayUnavailableException extends RuntimeException {

	public GatewayUnavailableException(String message) {
		super(message);
	}

}
