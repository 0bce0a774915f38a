package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP on Tomcat, in an application set up as users set theirs up: an ETag
 * filter and a body-logging filter registered as plain beans (so they run inside the
 * starter's filter), forwards, class-level annotations and form posts.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"idempotency.store.type=in-memory", "idempotency.request.max-body-size=8KB", "test.user-filters=true" })
class OrdinaryApplicationHttpTests {

	private static final String PROBLEMS = "https://idempotency.dev/problems/";

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@BeforeEach
	void resetCalls() {
		ProtocolTestApplication.calls.set(0);
		ProtocolTestApplication.loggedBodies.clear();
	}

	@Test
	void replayBehindBodyCachingFiltersIsWhatTheClientFirstGot() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = send(json("/payments", key, "{\"amount\":100}"));
		HttpResponse<String> retry = send(json("/payments", key, "{\"amount\":100}"));
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.body()).isEqualTo("{\"id\":1,\"request\":{\"amount\":100}}");
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.headers().firstValue("Content-Length")).isEqualTo(first.headers().firstValue("Content-Length"))
			.hasValue(Integer.toString(first.body().length()));
		assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
		assertThat(ProtocolTestApplication.loggedBodies).first().isEqualTo(first.body().length());
	}

	@Test
	void forwardToAnIdempotentHandlerIsProtected() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = send(json("/legacy-payments", key, "{\"amount\":7}"));
		HttpResponse<String> retry = send(json("/legacy-payments", key, "{\"amount\":7}"));
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void forwardWithoutAKeyIsRejected() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/legacy-payments"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":7}")));
		// The body of any forwarded response is lost behind this application's
		// body-caching filters (Tomcat closes the stream after a forward), with or
		// without
		// the starter: only the status and type are checked here.
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	@Test
	void classLevelAnnotationLeavesGetsAlone() throws Exception {
		HttpResponse<String> withoutKey = send(HttpRequest.newBuilder(uri("/class-level")).GET());
		String key = UUID.randomUUID().toString();
		HttpResponse<String> withKey = send(HttpRequest.newBuilder(uri("/class-level")).header("Idempotency-Key", key));
		HttpResponse<String> again = send(HttpRequest.newBuilder(uri("/class-level")).header("Idempotency-Key", key));
		assertThat(withoutKey.statusCode()).isEqualTo(200);
		assertThat(withKey.body()).isEqualTo("read 2");
		assertThat(again.body()).isEqualTo("read 3");
		assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
	}

	@Test
	void uploadsWithTheSameNameAreOneRequestOnlyWhenEveryFileIsTheSame() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = send(upload(key, "A", "B"));
		HttpResponse<String> other = send(upload(key, "C", "B"));
		HttpResponse<String> retry = send(upload(key, "A", "B"));
		assertThat(first.body()).isEqualTo("uploaded 2 1");
		assertThat(other.statusCode()).isEqualTo(422);
		assertThat(other.body()).contains(PROBLEMS + "key-reused");
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void formBodiesOverTheLimitAreRejectedWith413() throws Exception {
		String body = "name=" + "x".repeat(10_000);
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/forms"))
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains(PROBLEMS + "request-too-large");
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	@Test
	void formBodiesUnderTheLimitAreReplayed() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpRequest.Builder form = HttpRequest.newBuilder(uri("/forms"))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("name=alice"));
		assertThat(send(form).body()).isEqualTo("form 5 1");
		HttpResponse<String> retry = send(form);
		assertThat(retry.body()).isEqualTo("form 5 1");
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
	}

	private HttpRequest.Builder json(String path, String key, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpRequest.Builder upload(String key, String... contents) {
		String boundary = "boundary42";
		StringBuilder body = new StringBuilder();
		for (String content : contents) {
			body.append("--")
				.append(boundary)
				.append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
				.append("scan.txt")
				.append("\"\r\nContent-Type: text/plain\r\n\r\n")
				.append(content)
				.append("\r\n");
		}
		body.append("--").append(boundary).append("--\r\n");
		return HttpRequest.newBuilder(uri("/uploads"))
			.header("Idempotency-Key", key)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
