package dev.idempotency.sample.gateway;

import org.jspecify.annotations.Nullable;

/**
 * The simulated provider's HTTP API, shared by its server
 * ({@link SimulatedProviderServer}) and its client ({@link HttpPaymentGateway}): paths,
 * request bodies and the error body, after Stripe's.
 */
final class ProviderApi {

	static final String CHARGES = "/v1/charges";

	static final String REFUNDS = "/v1/refunds";

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	/** {@code 402}: the card was declined; {@code code} says why. */
	static final String CARD_ERROR = "card_error";

	/** {@code 400}: the key was used with other parameters. */
	static final String IDEMPOTENCY_ERROR = "idempotency_error";

	/** {@code 400}: the request could not be read. */
	static final String INVALID_REQUEST_ERROR = "invalid_request_error";

	/** {@code 503}: the provider failed; whether it charged is unknown. */
	static final String API_ERROR = "api_error";

	private ProviderApi() {
	}

	record ChargeParams(long amount, String currency, String customerId) {
	}

	record RefundParams(String chargeId, long amount) {
	}

	/** {@code GET /counts}: the charges and refunds really made. */
	record Counts(long charges, long refunds) {
	}

	record ErrorBody(String type, @Nullable String code, String message) {
	}

}
