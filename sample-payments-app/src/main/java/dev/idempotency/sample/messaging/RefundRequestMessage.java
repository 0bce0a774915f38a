package dev.idempotency.sample.messaging;

import dev.idempotency.sample.refund.CreateRefundRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of a message on {@code payments.refund-requests}:
 * <pre>{"paymentId": "pay_...", "amount": 500, "reason": "requested_by_customer"}</pre>
 * The AMQP {@code message_id} property is the idempotency key and the {@code merchant-id}
 * header the merchant, whose payment it must be.
 *
 * @param paymentId the payment to refund
 * @param amount the amount in minor units
 * @param reason optional: {@code duplicate}, {@code fraudulent} or
 * {@code requested_by_customer}
 */
public record RefundRequestMessage(@NotBlank @Size(max = 40) String paymentId, @NotNull @Positive Long amount,
		@Pattern(regexp = "duplicate|fraudulent|requested_by_customer") @Nullable String reason) {

	CreateRefundRequest toRefundRequest() {
		return new CreateRefundRequest(amount, reason);
	}

}
