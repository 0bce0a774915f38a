package dev.idempotency.sample.refund;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A refund as the API shows it.
 *
 * @param id the refund id, {@code re_...}
 * @param paymentId the refunded payment
 * @param status always {@code succeeded}: the simulated gateway refunds at once
 * @param amount the amount in minor units
 * @param currency the payment's currency
 * @param reason the reason, or {@code null}
 * @param gatewayRefundId the gateway's refund id
 * @param createdAt when the refund was made, ISO-8601 in UTC
 */
public record RefundResponse(String id, String paymentId, String status, long amount, String currency,
		@Nullable String reason, String gatewayRefundId, Instant createdAt) {

	public static RefundResponse of(Refund refund) {
		return new RefundResponse(refund.getId(), refund.getPaymentId(), "succeeded", refund.getAmount(),
				refund.getCurrency(), refund.getReason(), refund.getGatewayRefundId(), refund.getCreatedAt());
	}

}
