package dev.idempotency.actuate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sends the tests' requests over real HTTP, with basic auth when given a user. */
final class EndpointClient {

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final int port;

	EndpointClient(int port) {
		this.port = port;
	}

	HttpResponse<String> post(String path, String key, @Nullable String user) throws Exception {
		return postAsync(path, key, user).get();
	}

	CompletableFuture<HttpResponse<String>> postAsync(String path, String key, @Nullable String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":100}"));
		return client.sendAsync(authenticated(request, user).build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> read(String query, @Nullable String user) throws Exception {
		return send(endpoint(query).GET(), user);
	}

	HttpResponse<String> delete(String query, @Nullable String user) throws Exception {
		return send(endpoint(query).DELETE(), user);
	}

	JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	static String query(String selector, String value, String endpoint, String key) {
		return selector + "=" + encoded(value) + "&endpoint=" + encoded(endpoint) + "&key=" + encoded(key);
	}

	private HttpRequest.Builder endpoint(String query) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/idempotency?" + query));
	}

	private HttpResponse<String> send(HttpRequest.Builder request, @Nullable String user) throws Exception {
		return client.send(authenticated(request, user).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder authenticated(HttpRequest.Builder request, @Nullable String user) {
		if (user == null) {
			return request;
		}
		String credentials = Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
		return request.header("Authorization", "Basic " + credentials);
	}

	private static String encoded(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
