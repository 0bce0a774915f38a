package dev.idempotency.sample.gateway;

import java.util.Objects;

import dev.idempotency.sample.gateway.ProviderApi.ChargeParams;
import dev.idempotency.sample.gateway.ProviderApi.ErrorBody;
import dev.idempotency.sample.gateway.ProviderApi.RefundParams;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The gateway over HTTP, with a {@code RestClient} from the application's
 * {@code RestClient.Builder}: the starter's propagation ({@code idempotency.propagation},
 * with the provider's host listed) gives each call made inside an idempotent operation a
 * key derived from the operation's, the same on every retry of the operation. So this
 * client sets no key itself, and the key the app's client sent never reaches the
 * provider. Maps the provider's errors to the gateway's exceptions.
 */
public class HttpPaymentGateway implements PaymentGateway {

	private final RestClient client;

	HttpPaymentGateway(RestClient.Builder builder, String baseUrl) {
		this.client = builder.baseUrl(baseUrl).build();
	}

	@Override
	public Charge charge(long amount, String currency, String customerId) {
		return post(ProviderApi.CHARGES, new ChargeParams(amount, currency, customerId), Charge.class);
	}

	@Override
	public GatewayRefund refund(String chargeId, long amount) {
		return post(ProviderApi.REFUNDS, new RefundParams(chargeId, amount), GatewayRefund.class);
	}

	private <T> T post(String path, Object params, Class<T> resultType) {
		try {
			return client.post()
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON)
				.body(params)
				.exchangeForRequiredValue((request, response) -> {
					if (response.getStatusCode().isError()) {
						throw failure(response.getStatusCode().value(), response.bodyTo(ErrorBody.class));
					}
					return Objects.requireNonNull(response.bodyTo(resultType), "empty answer from the gateway");
				});
		}
		catch (ResourceAccessException ex) {
			throw new GatewayUnavailableException("The gateway could not be reached: " + ex.getMessage());
		}
	}

	private static RuntimeException failure(int status, @Nullable ErrorBody error) {
		if (error == null) {
			return new GatewayUnavailableException("The gateway answered " + status);
		}
		return switch (error.type()) {
			case ProviderApi.CARD_ERROR -> new CardDeclinedException(String.valueOf(error.code()), error.message());
			case ProviderApi.IDEMPOTENCY_ERROR -> new GatewayKeyReusedException(error.message());
			default -> new GatewayUnavailableException(error.message());
		};
	}

}
