package dev.idempotency;

/**
 * What a request does when another request with the same key is still running.
 */
public enum OnInFlight {

	/**
	 * Use {@code idempotency.in-flight.policy}.
	 */
	DEFAULT,

	/**
	 * Answer {@code 409 Conflict} at once, with {@code Retry-After}.
	 */
	REJECT,

	/**
	 * Wait, up to {@code idempotency.in-flight.max-wait}, for the first request to finish
	 * and replay its response; answer {@code 409} when the wait runs out.
	 */
	WAIT

}
