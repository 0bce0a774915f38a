package dev.idempotency.actuate;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static dev.idempotency.actuate.EndpointClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code management.endpoints.web.exposure.include} the endpoint is not there at
 * all, even in an application without security.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "idempotency.store.type=in-memory", ActuatorTestApplication.WITHOUT_SECURITY })
class IdempotencyEndpointNotExposedHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Test
	void endpointIsNotExposedByDefault() throws Exception {
		EndpointClient client = new EndpointClient(port);
		String key = UUID.randomUUID().toString();
		client.post("/payments", key, null);
		String selector = query("scope", "anonymous", "POST /payments", key);
		assertThat(client.read(selector, null).statusCode()).isEqualTo(404);
		assertThat(client.delete(selector, null).statusCode()).isEqualTo(404);
		assertThat(context.getBeanNamesForType(IdempotencyEndpoint.class)).isEmpty();
	}

}
