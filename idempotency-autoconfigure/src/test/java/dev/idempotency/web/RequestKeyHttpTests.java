package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoints that read their key from the request (webhooks), over real HTTP.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "idempotency.store.type=in-memory")
class RequestKeyHttpTests {

	private static final String PROBLEMS = "https://idempotency.dev/problems/";

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@BeforeEach
	void resetCalls() {
		ProtocolTestApplication.calls.set(0);
	}

	@Test
	void anEventDeliveredTwiceIsProcessedOnceAndTheFirstResponseReplayed() throws Exception {
		String event = event(UUID.randomUUID().toString(), "charge.succeeded");

		HttpResponse<String> first = deliver(event, "gateway");
		HttpResponse<String> again = deliver(event, "gateway");

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("processed 1");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void distinctEventsAndTheSameEventFromAnotherSenderEachRun() throws Exception {
		String id = UUID.randomUUID().toString();

		deliver(event(id, "charge.succeeded"), "gateway");
		deliver(event(UUID.randomUUID().toString(), "charge.succeeded"), "gateway");
		deliver(event(id, "charge.succeeded"), "other-gateway");

		assertThat(ProtocolTestApplication.calls).hasValue(3);
	}

	@Test
	void anotherEventUnderAnIdAlreadyUsedIsRefusedAsAReusedKey() throws Exception {
		String id = UUID.randomUUID().toString();
		deliver(event(id, "charge.succeeded"), "gateway");

		HttpResponse<String> reused = deliver(event(id, "charge.refunded"), "gateway");

		assertThat(reused.statusCode()).isEqualTo(422);
		assertThat(reused.body()).contains(PROBLEMS + "key-reused");
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void anEventWithoutItsIdOrThatIsNotJsonIsABadRequestAndRunsNothing() throws Exception {
		HttpResponse<String> withoutId = deliver("{\"type\":\"charge.succeeded\"}", "gateway");
		HttpResponse<String> notJson = deliver("id=evt_1", "gateway");
		HttpResponse<String> tooLong = deliver(event("x".repeat(300), "charge.succeeded"), "gateway");

		assertThat(withoutId.statusCode()).isEqualTo(400);
		assertThat(withoutId.body()).contains(PROBLEMS + "missing-key").contains("#body.id");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(tooLong.statusCode()).isEqualTo(400);
		assertThat(tooLong.body()).contains(PROBLEMS + "invalid-key");
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	@Test
	void headerKeyedEndpointsStillRequireTheHeader() throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url("/payments")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains(PROBLEMS + "missing-key");
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	private HttpResponse<String> deliver(String body, String sender) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(url("/webhooks")))
			.header("Content-Type", "application/json")
			.header("X-Sender", sender)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String event(String id, String type) {
		return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"data\":{\"paymentId\":\"pay_1\"}}";
	}

	private String url(String path) {
		return "http://localhost:" + port + path;
	}

}
