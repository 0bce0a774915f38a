package dev.idempotency.actuate;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.idempotency.actuate.EndpointClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code idempotency} endpoint over real HTTP in an application without Spring
 * Security: once exposed, it answers anyone, as every exposed actuator endpoint does.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "idempotency.store.type=in-memory", ActuatorTestApplication.WITHOUT_SECURITY,
				"management.endpoints.web.exposure.include=idempotency" })
class IdempotencyEndpointOpenHttpTests {

	@LocalServerPort
	private int port;

	private EndpointClient client;

	@BeforeEach
	void setUp() {
		client = new EndpointClient(port);
	}

	@Test
	void exposedEndpointReadsAndEvictsWithoutCredentials() throws Exception {
		String key = UUID.randomUUID().toString();
		client.post("/payments", key, null);
		String selector = query("scope", "anonymous", "POST /payments", key);
		HttpResponse<String> read = client.read(selector, null);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(client.json(read).get("state").asString()).isEqualTo("completed");
		assertThat(client.json(client.delete(selector, null)).get("evicted").asBoolean()).isTrue();
		assertThat(client.read(selector, null).statusCode()).isEqualTo(404);
	}

}
