package dev.idempotency.sample.payment;

/**
 * Where a payment stands.
 */
public enum PaymentStatus {

	/** Charged, nothing refunded. */
	SUCCEEDED,

	/** Charged, part of it refunded. */
	PARTIALLY_REFUNDED,

	/** Charged and refunded in full. */
	REFUNDED

}
