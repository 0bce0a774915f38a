package dev.idempotency.sample.payment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Currency;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * An upper-case ISO 4217 currency code the JDK knows ({@link Currency}), such as
 * {@code USD} or {@code EUR}. {@code null} is valid; combine with {@code @NotNull}.
 */
@Documented
@Target({ ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IsoCurrency.Validator.class)
public @interface IsoCurrency {

	String message() default "must be an upper-case ISO 4217 currency code, such as USD";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/**
	 * Checks the code against the JDK's currencies.
	 */
	class Validator implements ConstraintValidator<IsoCurrency, String> {

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			if (value == null) {
				return true;
			}
			if (!value.matches("[A-Z]{3}")) {
				return false;
			}
			try {
				Currency.getInstance(value);
				return true;
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}

	}

}
