package dev.idempotency.sample.web;

import java.net.URI;

/**
 * The {@code type} URIs of the problem details this app answers with. They are stable
 * identifiers: clients match on them, never on {@code title} or {@code detail}. Problems
 * of the idempotency layer itself (missing key, key reused, request in progress) have the
 * starter's types under {@code https://idempotency.dev/problems/}.
 */
public final class ProblemTypes {

	private static final String BASE = "https://idempotency.dev/sample/problems/";

	/** 401: no API key, or an unknown one. */
	public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");

	/**
	 * 401: a gateway webhook without a valid {@code Gateway-Signature}; nothing was
	 * processed or stored.
	 */
	public static final URI INVALID_SIGNATURE = URI.create(BASE + "invalid-signature");

	/** 400: the body failed validation; {@code errors} lists the fields. */
	public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");

	/** 400: the body is not valid JSON or has a value of the wrong type. */
	public static final URI MALFORMED_REQUEST = URI.create(BASE + "malformed-request");

	/** 404: no such payment for this merchant. */
	public static final URI NOT_FOUND = URI.create(BASE + "not-found");

	/** 402: the gateway declined the card; {@code declineCode} says why. */
	public static final URI CARD_DECLINED = URI.create(BASE + "card-declined");

	/** 409: a refund larger than what remains of the payment. */
	public static final URI REFUND_EXCEEDS_REMAINING = URI.create(BASE + "refund-exceeds-remaining");

	/** 409: the gateway saw this request's key with other parameters. */
	public static final URI GATEWAY_KEY_REUSED = URI.create(BASE + "gateway-key-reused");

	/**
	 * 503: the payment gateway is unavailable; nothing was charged or refunded. Answered
	 * with {@code Retry-After}.
	 */
	public static final URI GATEWAY_UNAVAILABLE = URI.create(BASE + "gateway-unavailable");

	/**
	 * 503: the app's own database went away while the request ran (a restart, a
	 * failover); answered with {@code Retry-After}. Nothing was stored, so a retry with
	 * the same idempotency key runs again once the key's lock is released or expires.
	 */
	public static final URI DATABASE_UNAVAILABLE = URI.create(BASE + "database-unavailable");

	private ProblemTypes() {
	}

}
