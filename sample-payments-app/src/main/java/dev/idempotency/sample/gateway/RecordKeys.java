package dev.idempotency.sample.gateway;

import dev.idempotency.IdempotencyKey;

/**
 * The key under which the app records the payment or refund a request made (their
 * {@code gateway_idempotency_key} column), derived from the request's own
 * {@link IdempotencyKey}: it covers the scope (the merchant) and the endpoint as well as
 * the client's key, so two merchants who happen to pick the same key never share a
 * payment. A retry whose first attempt saved its payment and then crashed before its
 * response was stored finds that payment instead of calling the gateway again. The
 * gateway itself gets the key the starter derives for each call
 * ({@code idempotency.propagation}).
 */
public final class RecordKeys {

	private RecordKeys() {
	}

	/**
	 * The record key for a request.
	 * @param key the request's idempotency key, as the starter resolved it
	 * @return {@code idem_} followed by the key's SHA-256 digest
	 */
	public static String of(IdempotencyKey key) {
		return "idem_" + key.digest();
	}

}
