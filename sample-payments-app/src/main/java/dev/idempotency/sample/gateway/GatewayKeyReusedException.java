package dev.idempotency.sample.gateway;

/**
 * The gateway already used this idempotency key for an operation with other parameters
 * (Stripe answers {@code idempotency_error}); nothing was done.
 */
public class GatewayKeyReusedException extends RuntimeException {

	public GatewayKeyReusedException(String message) {
		super(message);
	}

}
