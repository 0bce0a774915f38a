package dev.idempotency.sample.refund;

/**
 * A refund asked for more than what remains of the payment; nothing was refunded.
 */
public class RefundExceedsRemainingException extends RuntimeException {

	private final long remainingAmount;

	public RefundExceedsRemainingException(String paymentId, long requested, long remainingAmount) {
		super("Refund of " + requested + " exceeds the " + remainingAmount + " remaining of payment " + paymentId
				+ ".");
		this.remainingAmount = remainingAmount;
	}

	public long remainingAmount() {
		return remainingAmount;
	}

}
