package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Idempotent(storedStatuses = {"2xx", "4xx", "!409", "!429"})} over real HTTP: a
 * stored status replays like a success, any other releases the key and the retry runs.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "idempotency.store.type=in-memory")
class StatusPolicyHttpTests {

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@BeforeEach
	void resetCalls() {
		ProtocolTestApplication.calls.set(0);
	}

	@ParameterizedTest(name = "{0} stored: {1}")
	@CsvSource({ "200, true", "201, true", "299, true", "400, true", "402, true", "404, true", "409, false",
			"422, true", "429, false", "499, true", "500, false", "503, false", "302, false" })
	void retryReplaysStoredStatusesAndRunsAgainOtherwise(int status, boolean stored) throws Exception {
		String key = UUID.randomUUID().toString();

		HttpResponse<String> first = send(status, key);
		HttpResponse<String> retry = send(status, key);

		assertThat(first.statusCode()).isEqualTo(status);
		assertThat(retry.statusCode()).isEqualTo(status);
		if (stored) {
			assertThat(retry.body()).isEqualTo(first.body());
			assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(ProtocolTestApplication.calls).hasValue(1);
		}
		else {
			assertThat(retry.body()).isNotEqualTo(first.body());
			assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
			assertThat(ProtocolTestApplication.calls).hasValue(2);
		}
	}

	private HttpResponse<String> send(int status, String key) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/status?code=" + status))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
