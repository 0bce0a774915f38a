package dev.idempotency.sample.gateway;

import dev.idempotency.IdempotencyKey;

/**
 * The idempotency key the app sends to the gateway for a request, derived from the
 * request's own {@link IdempotencyKey} ("forward your idempotency key to Stripe"). It
 * covers the scope (the merchant) and the endpoint as well as the client's key, so two
 * merchants who happen to pick the same key never share a gateway charge, and a payment
 * and a refund sent with the same key stay apart. The same request retried gives the same
 * forwarded key, so a charge the gateway made for an attempt that crashed before its
 * response was stored is found again rather than made twice.
 */
public final class ForwardedKeys {

	private ForwardedKeys() {
	}

	/**
	 * The gateway key for a request.
	 * @param key the request's idempotency key, as the starter resolved it
	 * @return {@code idem_} followed by the key's SHA-256 digest
	 */
	public static String of(IdempotencyKey key) {
		return "idem_" + key.digest();
	}

}
