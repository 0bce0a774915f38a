package dev.idempotency.sample.payment;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/payments}.
 *
 * @param amount the amount in minor units, 1 to 99,999,999
 * @param currency the ISO 4217 code, such as {@code USD}
 * @param customerId the customer whose card is charged
 * @param description an optional description
 */
public record CreatePaymentRequest(@NotNull @Positive @Max(99_999_999) Long amount,
		@NotNull @IsoCurrency String currency, @NotBlank @Size(max = 64) String customerId,
		@Size(max = 500) @Nullable String description) {
}
