package dev.idempotency.sample.payment;

/**
 * No payment with this id belongs to the merchant.
 */
public class PaymentNotFoundException extends RuntimeException {

	public PaymentNotFoundException(String id) {
		super("No payment " + id + ".");
	}

}
