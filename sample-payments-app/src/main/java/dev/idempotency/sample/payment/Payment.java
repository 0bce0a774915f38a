package dev.idempotency.sample.payment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.ColumnDefault;
import org.jspecify.annotations.Nullable;

/**
 * A charge a merchant made to a customer's card. Amounts are in minor units (cents).
 */
@Entity
@Table(name = "payments", indexes = @Index(name = "payments_merchant_created", columnList = "merchantId, createdAt"))
public class Payment {

	@Id
	@Column(length = 40)
	private String id;

	@Column(nullable = false, length = 64)
	private String merchantId;

	@Column(nullable = false)
	private long amount;

	@Column(nullable = false)
	private long refundedAmount;

	@Column(nullable = false, length = 3)
	private String currency;

	@Column(nullable = false, length = 64)
	private String customerId;

	@Column(length = 500)
	private @Nullable String description;

	@Enumerated(EnumType.STRING)
	@Column(nullable = false, length = 32)
	private PaymentStatus status;

	@Column(nullable = false, length = 64)
	private String gatewayChargeId;

	/**
	 * Whether the customer disputed the charge with their bank (the gateway's
	 * {@code charge.dispute.created}). The default lets the schema update add the column
	 * to a table that has rows.
	 */
	@Column(nullable = false)
	@ColumnDefault("false")
	private boolean disputed;

	/**
	 * The key the charge was sent to the gateway with: one payment per gateway charge.
	 */
	@Column(nullable = false, unique = true, length = 64)
	private String gatewayIdempotencyKey;

	@Column(nullable = false)
	private Instant createdAt;

	@Version
	private long version;

	protected Payment() {
	}

	public Payment(String merchantId, long amount, String currency, String customerId, @Nullable String description,
			String gatewayChargeId, String gatewayIdempotencyKey) {
		this.id = "pay_" + UUID.randomUUID().toString().replace("-", "");
		this.merchantId = merchantId;
		this.amount = amount;
		this.currency = currency;
		this.customerId = customerId;
		this.description = description;
		this.status = PaymentStatus.SUCCEEDED;
		this.gatewayChargeId = gatewayChargeId;
		this.gatewayIdempotencyKey = gatewayIdempotencyKey;
		// PostgreSQL keeps microseconds; keep no more, so a read-back equals the
		// original.
		this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	public long remainingAmount() {
		return amount - refundedAmount;
	}

	/**
	 * Records a refund.
	 * @param refundAmount the amount refunded, at most {@link #remainingAmount()}
	 */
	public void refund(long refundAmount) {
		if (refundAmount <= 0 || refundAmount > remainingAmount()) {
			throw new IllegalArgumentException("Refund of " + refundAmount + " exceeds " + remainingAmount());
		}
		refundedAmount += refundAmount;
		status = (refundedAmount == amount) ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
	}

	/**
	 * Records that the gateway refunded the rest of the charge by itself (a refund made
	 * from its dashboard: {@code charge.refunded}).
	 */
	public void refundedByGateway() {
		refundedAmount = amount;
		status = PaymentStatus.REFUNDED;
	}

	/**
	 * Records that the customer disputed the charge.
	 */
	public void disputed() {
		disputed = true;
	}

	public boolean isDisputed() {
		return disputed;
	}

	public String getId() {
		return id;
	}

	public String getMerchantId() {
		return merchantId;
	}

	public long getAmount() {
		return amount;
	}

	public long getRefundedAmount() {
		return refundedAmount;
	}

	public String getCurrency() {
		return currency;
	}

	public String getCustomerId() {
		return customerId;
	}

	public @Nullable String getDescription() {
		return description;
	}

	public PaymentStatus getStatus() {
		return status;
	}

	public String getGatewayChargeId() {
		return gatewayChargeId;
	}

	public String getGatewayIdempotencyKey() {
		return gatewayIdempotencyKey;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

}
