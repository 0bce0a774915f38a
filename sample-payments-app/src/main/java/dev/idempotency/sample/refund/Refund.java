package dev.idempotency.sample.refund;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * Money returned from a payment to the customer's card.
 */
@Entity
@Table(name = "refunds")
public class Refund {

	@Id
	@Column(length = 40)
	private String id;

	@Column(nullable = false, length = 40)
	private String paymentId;

	@Column(nullable = false, length = 64)
	private String merchantId;

	@Column(nullable = false)
	private long amount;

	@Column(nullable = false, length = 3)
	private String currency;

	@Column(length = 32)
	private @Nullable String reason;

	@Column(nullable = false, length = 64)
	private String gatewayRefundId;

	/** The key the refund was sent to the gateway with: one refund per gateway refund. */
	@Column(nullable = false, unique = true, length = 64)
	private String gatewayIdempotencyKey;

	@Column(nullable = false)
	private Instant createdAt;

	protected Refund() {
	}

	public Refund(String paymentId, String merchantId, long amount, String currency, @Nullable String reason,
			String gatewayRefundId, String gatewayIdempotencyKey) {
		this.id = "re_" + UUID.randomUUID().toString().replace("-", "");
		this.paymentId = paymentId;
		this.merchantId = merchantId;
		this.amount = amount;
		this.currency = currency;
		this.reason = reason;
		this.gatewayRefundId = gatewayRefundId;
		this.gatewayIdempotencyKey = gatewayIdempotencyKey;
		this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	public String getId() {
		return id;
	}

	public String getPaymentId() {
		return paymentId;
	}

	public String getMerchantId() {
		return merchantId;
	}

	public long getAmount() {
		return amount;
	}

	public String getCurrency() {
		return currency;
	}

	public @Nullable String getReason() {
		return reason;
	}

	public String getGatewayRefundId() {
		return gatewayRefundId;
	}

	public String getGatewayIdempotencyKey() {
		return gatewayIdempotencyKey;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
