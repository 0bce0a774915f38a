package dev.idempotency.sample.gateway;

/**
 * The gateway declined the card; nothing was charged.
 */
public class CardDeclinedException extends RuntimeException {

	private final String declineCode;

	public CardDeclinedException(String declineCode, String message) {
		super(message);
		this.declineCode = declineCode;
	}

	/**
	 * Why the card was declined, as Stripe names it, such as {@code generic_decline}.
	 * @return the decline code
	 */
	public String declineCode() {
		return declineCode;
	}

}
