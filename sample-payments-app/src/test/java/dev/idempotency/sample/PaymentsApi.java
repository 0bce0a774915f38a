package dev.idempotency.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.idempotency.sample.webhook.GatewaySignature;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the running app over real HTTP ({@link HttpClient}, HTTP/1.1).
 */
final class PaymentsApi {

	static final String MERCHANT_A_KEY = "sk_test_merchant_a";

	static final String MERCHANT_B_KEY = "sk_test_merchant_b";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUri;

	PaymentsApi(int port) {
		this.baseUri = "http://127.0.0.1:" + port;
	}

	static String newKey() {
		return UUID.randomUUID().toString();
	}

	static String newCustomer() {
		return "cust-" + UUID.randomUUID();
	}

	static String payment(long amount, String customerId) {
		return "{\"amount\": " + amount + ", \"currency\": \"USD\", \"customerId\": \"" + customerId
				+ "\", \"description\": \"Order for " + customerId + "\"}";
	}

	static String refund(long amount) {
		return "{\"amount\": " + amount + ", \"reason\": \"requested_by_customer\"}";
	}

	/** The default {@code payments.webhooks.secret}. */
	static final GatewaySignature GATEWAY_SIGNATURE = new GatewaySignature("whsec_test_sample");

	static String newEventId() {
		return "evt_" + UUID.randomUUID().toString().replace("-", "");
	}

	static String gatewayEvent(String eventId, String type, String paymentId) {
		return "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"created\":"
				+ (System.currentTimeMillis() / 1000) + ",\"data\":{\"paymentId\":\"" + paymentId + "\"}}";
	}

	static String signature(String body) {
		return GATEWAY_SIGNATURE.sign(body.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Delivers a gateway event, as the gateway does: no API key, no Idempotency-Key.
	 * @param body the event
	 * @param signature the {@code Gateway-Signature}, or {@code null} for none
	 * @return the response
	 */
	Response deliver(String body, @Nullable String signature) {
		HttpRequest.Builder request = request("/api/v1/webhooks/gateway", null)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body));
		if (signature != null) {
			request.header("Gateway-Signature", signature);
		}
		return send(request.build());
	}

	Response createPayment(String apiKey, @Nullable String idempotencyKey, String body) {
		return post("/api/v1/payments", apiKey, idempotencyKey, body);
	}

	Response refund(String apiKey, String paymentId, @Nullable String idempotencyKey, String body) {
		return post("/api/v1/payments/" + paymentId + "/refunds", apiKey, idempotencyKey, body);
	}

	Response post(String path, @Nullable String apiKey, @Nullable String idempotencyKey, String body) {
		HttpRequest.Builder request = request(path, apiKey).header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return send(request.build());
	}

	static Response join(Future<Response> response) {
		try {
			return response.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	Response get(String path, @Nullable String apiKey) {
		return send(request(path, apiKey).GET().build());
	}

	private HttpRequest.Builder request(String path, @Nullable String apiKey) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + path))
			.timeout(Duration.ofSeconds(30));
		if (apiKey != null) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		return request;
	}

	private Response send(HttpRequest request) {
		try {
			java.net.http.HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A response: status, headers, body.
	 *
	 * @param status the status
	 * @param headers the headers
	 * @param body the body
	 */
	record Response(int status, java.net.http.HttpHeaders headers, String body) {

		@Nullable String header(String name) {
			return headers.firstValue(name).orElse(null);
		}

		boolean replayed() {
			return "true".equals(header("Idempotent-Replayed"));
		}

		JsonNode json() {
			return PaymentsApi.json.readTree(body);
		}

		String field(String name) {
			return json().get(name).asString();
		}

		@Override
		public String toString() {
			return status + " " + body;
		}

	}

}
