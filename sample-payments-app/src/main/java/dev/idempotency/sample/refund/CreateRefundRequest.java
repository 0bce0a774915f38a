package dev.idempotency.sample.refund;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/payments/{id}/refunds}.
 *
 * @param amount the amount in minor units, at most what remains of the payment
 * @param reason optional: {@code duplicate}, {@code fraudulent} or
 * {@code requested_by_customer}, as Stripe has them
 */
public record CreateRefundRequest(@NotNull @Positive Long amount,
		@Pattern(regexp = "duplicate|fraudulent|requested_by_customer") @Nullable String reason) {
}
