package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler sees its running operation (key and fencing token) through
 * {@code IdempotencyContext}, and the thread forgets it once the request is over.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "idempotency.store.type=in-memory", "server.tomcat.threads.max=1" })
class RunningOperationHttpTests {

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Test
	void theHandlerSeesItsKeyAndFencingTokenAndTheThreadForgetsThem() throws Exception {
		String key = UUID.randomUUID().toString();

		HttpResponse<String> fenced = post("/fenced", key);
		HttpResponse<String> next = post("/unfenced", null);

		assertThat(fenced.body()).startsWith(key + "|");
		assertThat(Long.parseLong(fenced.body().substring(key.length() + 1))).isPositive();
		// One request thread: the next request ran on the same one, and saw nothing.
		assertThat(next.body()).isEqualTo("none");
	}

	private HttpResponse<String> post(String path, String key) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
