package dev.idempotency.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.idempotency.actuate.EndpointClient.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The {@code idempotency} endpoint over real HTTP, exposed, in an application whose
 * security configuration requires authentication for actuator: keys made by real requests
 * are read and evicted by an authenticated operator, and nobody else.
 */
@SpringBootTest(classes = { ActuatorTestApplication.class, SecuredActuatorConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "idempotency.store.type=in-memory", "management.endpoints.web.exposure.include=idempotency" })
class IdempotencyEndpointSecuredHttpTests {

	private static final String OPERATOR = "oncall";

	@LocalServerPort
	private int port;

	private EndpointClient client;

	@BeforeEach
	void setUp() {
		client = new EndpointClient(port);
		ActuatorTestApplication.calls.set(0);
	}

	@AfterEach
	void openTheGate() {
		ActuatorTestApplication.gate.countDown();
	}

	@Test
	void keyOfARunningRequestIsInFlightThenCompleted() throws Exception {
		ActuatorTestApplication.gate = new CountDownLatch(1);
		String key = UUID.randomUUID().toString();
		String selector = query("principal", "alice", "POST /slow", key);
		CompletableFuture<HttpResponse<String>> running = client.postAsync("/slow", key, "alice");
		await().atMost(Duration.ofSeconds(10)).until(() -> client.read(selector, OPERATOR).statusCode() == 200);
		JsonNode inFlight = client.json(client.read(selector, OPERATOR));
		assertThat(inFlight.get("state").asString()).isEqualTo("in_flight");
		assertThat(inFlight.get("fingerprint").asString()).isNotEmpty();
		assertThat(inFlight.get("status").isNull()).isTrue();
		Instant createdAt = Instant.parse(inFlight.get("createdAt").asString());
		Instant lockExpiresAt = Instant.parse(inFlight.get("expiresAt").asString());
		assertThat(createdAt).isCloseTo(Instant.now(), within(Duration.ofSeconds(15)));
		assertThat(lockExpiresAt).isCloseTo(createdAt.plusSeconds(30), within(Duration.ofSeconds(11)));
		assertThat(inFlight.get("lock").get("held").asBoolean()).isTrue();
		assertThat(Instant.parse(inFlight.get("lock").get("expiresAt").asString())).isEqualTo(lockExpiresAt);
		assertThat(inFlight.get("fencingToken").asLong()).isPositive();
		assertThat(inFlight.get("originalTraceId").isNull()).isTrue();
		ActuatorTestApplication.gate.countDown();
		assertThat(running.get().statusCode()).isEqualTo(200);
		JsonNode completed = client.json(client.read(selector, OPERATOR));
		assertThat(completed.get("state").asString()).isEqualTo("completed");
		assertThat(completed.get("status").asInt()).isEqualTo(200);
		assertThat(completed.get("fingerprint").asString()).isEqualTo(inFlight.get("fingerprint").asString());
		assertThat(Instant.parse(completed.get("createdAt").asString())).isEqualTo(createdAt);
		assertThat(Instant.parse(completed.get("expiresAt").asString())).as("the retention's end")
			.isCloseTo(Instant.now().plus(Duration.ofHours(24)), within(Duration.ofMinutes(1)));
		assertThat(completed.get("lock").get("held").asBoolean()).isFalse();
		assertThat(completed.get("lock").get("expiresAt").isNull()).isTrue();
		assertThat(completed.get("fencingToken").asLong()).isEqualTo(inFlight.get("fencingToken").asLong());
		assertThat(completed.get("originalTraceId").isNull()).as("the application is not traced").isTrue();
	}

	@Test
	void completedKeyShowsItsBodyOnlyWhenAsked() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> payment = client.post("/payments", key, "alice");
		String selector = query("principal", "alice", "POST /payments", key);
		JsonNode withoutBody = client.json(client.read(selector, OPERATOR));
		JsonNode withBody = client.json(client.read(selector + "&body=true", OPERATOR));
		assertThat(withoutBody.get("state").asString()).isEqualTo("completed");
		assertThat(withoutBody.get("scope").asString()).startsWith("principal:");
		assertThat(withoutBody.get("status").asInt()).isEqualTo(201);
		assertThat(withoutBody.get("headers").get("Location").get(0).asString()).isEqualTo("/payments/1");
		assertThat(withoutBody.get("bodyLength").asInt()).isEqualTo(payment.body().length());
		assertThat(withoutBody.get("body").isNull()).isTrue();
		assertThat(withBody.get("bodyEncoding").asString()).isEqualTo("text");
		assertThat(withBody.get("body").asString()).isEqualTo(payment.body());
	}

	@Test
	void keyIsFoundByItsStoredScopeToo() throws Exception {
		String key = UUID.randomUUID().toString();
		client.post("/payments", key, "alice");
		String scope = client.json(client.read(query("principal", "alice", "POST /payments", key), OPERATOR))
			.get("scope")
			.asString();
		HttpResponse<String> byScope = client.read(query("scope", scope, "POST /payments", key), OPERATOR);
		assertThat(byScope.statusCode()).isEqualTo(200);
		assertThat(client.read(query("principal", "bob", "POST /payments", key), OPERATOR).statusCode()).isEqualTo(404);
	}

	@Test
	void unknownKeyIsNotFound() throws Exception {
		HttpResponse<String> read = client.read(query("principal", "alice", "POST /payments", "unknown"), OPERATOR);
		assertThat(read.statusCode()).isEqualTo(404);
	}

	@Test
	void selectingByScopeAndPrincipalAtOnceIsABadRequest() throws Exception {
		String both = query("principal", "alice", "POST /payments", "k") + "&scope=anonymous";
		assertThat(client.read(both, OPERATOR).statusCode()).isEqualTo(400);
	}

	@Test
	void evictedKeyRunsAgainOnRetry() throws Exception {
		String key = UUID.randomUUID().toString();
		client.post("/payments", key, "alice");
		HttpResponse<String> replay = client.post("/payments", key, "alice");
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		String selector = query("principal", "alice", "POST /payments", key);
		HttpResponse<String> eviction = client.delete(selector, OPERATOR);
		assertThat(eviction.statusCode()).isEqualTo(200);
		assertThat(client.json(eviction).get("evicted").asBoolean()).isTrue();
		assertThat(client.read(selector, OPERATOR).statusCode()).isEqualTo(404);
		HttpResponse<String> retry = client.post("/payments", key, "alice");
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(retry.body()).isEqualTo("{\"payment\":2}");
		assertThat(ActuatorTestApplication.calls).hasValue(2);
		assertThat(client.json(client.delete(query("principal", "alice", "POST /payments", "absent"), OPERATOR))
			.get("evicted")
			.asBoolean()).isFalse();
	}

	@Test
	void withoutCredentialsTheEndpointAnswers401AndEvictsNothing() throws Exception {
		String key = UUID.randomUUID().toString();
		client.post("/payments", key, "alice");
		String selector = query("principal", "alice", "POST /payments", key);
		assertThat(client.read(selector, null).statusCode()).isEqualTo(401);
		assertThat(client.delete(selector, null).statusCode()).isEqualTo(401);
		assertThat(client.read(selector, OPERATOR).statusCode()).isEqualTo(200);
	}

}
