package dev.idempotency.sample.gateway;

/**
 * A card payment gateway modelled on Stripe's API. The gateway performs at most one
 * charge or refund per {@code Idempotency-Key} header and answers a retry with the same
 * key with the original result, so a call that timed out may be retried without charging
 * twice. The key is not a parameter: calls made inside an idempotent operation get one
 * from the starter ({@code idempotency.propagation}), derived from the operation's key,
 * the same on every retry of the operation.
 */
public interface PaymentGateway {

	/**
	 * Charges a customer's card.
	 * @param amount the amount in minor units, positive
	 * @param currency the ISO 4217 code
	 * @param customerId the customer whose card is charged
	 * @return the charge
	 * @throws CardDeclinedException when the card is declined; nothing is charged
	 * @throws GatewayKeyReusedException when the key was used for a different charge
	 * @throws GatewayUnavailableException when the gateway failed or could not be reached
	 */
	Charge charge(long amount, String currency, String customerId);

	/**
	 * Refunds part or all of a charge.
	 * @param chargeId the charge to refund
	 * @param amount the amount in minor units, positive
	 * @return the refund
	 * @throws GatewayKeyReusedException when the key was used for a different refund
	 * @throws GatewayUnavailableException when the gateway failed or could not be reached
	 */
	GatewayRefund refund(String chargeId, long amount);

	/**
	 * A charge the gateway made.
	 *
	 * @param id the gateway's charge id, such as {@code ch_...}
	 * @param amount the amount charged
	 * @param currency the currency
	 */
	record Charge(String id, long amount, String currency) {
	}

	/**
	 * A refund the gateway made.
	 *
	 * @param id the gateway's refund id, such as {@code re_...}
	 * @param chargeId the refunded charge
	 * @param amount the amount refunded
	 */
	record GatewayRefund(String id, String chargeId, long amount) {
	}

}
