package dev.idempotency.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.UUID;

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
