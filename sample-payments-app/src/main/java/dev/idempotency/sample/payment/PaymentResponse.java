package dev.idempotency.sample.payment;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A payment as the API shows it. {@code createdAt} is ISO-8601 in UTC.
 *
 * @param id the payment id, {@code pay_...}
 * @param status {@code succeeded}, {@code partially_refunded} or {@code refunded}
 * @param disputed whether the customer disputed the charge with their bank
 * @param amount the amount in minor units
 * @param currency the ISO 4217 code
 * @param customerId the customer charged
 * @param description the description, or {@code null}
 * @param gatewayChargeId the gateway's charge id, {@code ch_...}
 * @param createdAt when the payment was made
 */
public record PaymentResponse(String id, String status, boolean disputed, long amount, String currency,
		String customerId, @Nullable String description, String gatewayChargeId, Instant createdAt) {

	public static PaymentResponse of(Payment payment) {
		return new PaymentResponse(payment.getId(), payment.getStatus().name().toLowerCase(Locale.ROOT),
				payment.isDisputed(), payment.getAmount(), payment.getCurrency(), payment.getCustomerId(),
				payment.getDescription(), payment.getGatewayChargeId(), payment.getCreatedAt());
	}

}
