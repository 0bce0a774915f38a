package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With springdoc on the class path, {@code /v3/api-docs} documents the key header and the
 * protocol's problems on {@code @Idempotent} operations, and nothing on the others.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "idempotency.store.type=in-memory")
class OpenApiHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void idempotentOperationsDocumentTheHeaderTheProblemsAndTheRetention() throws Exception {
		JsonNode paths = apiDocs().get("paths");

		JsonNode payments = paths.get("/payments").get("post");
		JsonNode header = header(payments, "Idempotency-Key");
		assertThat(header).isNotNull();
		assertThat(header.get("required").asBoolean()).isTrue();
		assertThat(header.get("schema").get("maxLength").asInt()).isEqualTo(255);
		assertThat(payments.get("responses").propertyNames()).contains("400", "409", "413", "422", "503");
		assertThat(payments.get("responses").get("409").get("content").has("application/problem+json")).isTrue();
		assertThat(payments.get("description").asString()).contains("replayed for PT24H");
		assertThat(payments.get("x-idempotency").get("keyRequired").asBoolean()).isTrue();

		JsonNode optional = paths.get("/optional").get("post");
		assertThat(header(optional, "Idempotency-Key").get("required").asBoolean()).isFalse();

		JsonNode webhook = paths.get("/webhooks").get("post");
		assertThat(header(webhook, "Idempotency-Key")).isNull();
		assertThat(webhook.get("x-idempotency").get("keyFromRequest").asBoolean()).isTrue();

		JsonNode plain = paths.get("/plain").get("post");
		assertThat(header(plain, "Idempotency-Key")).isNull();
		assertThat(plain.has("x-idempotency")).isFalse();
	}

	private JsonNode apiDocs() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

	private static JsonNode header(JsonNode operation, String name) {
		if (operation.get("parameters") == null) {
			return null;
		}
		for (JsonNode parameter : operation.get("parameters")) {
			if (parameter.get("in").asString().equals("header") && parameter.get("name").asString().equals(name)) {
				return parameter;
			}
		}
		return null;
	}

}
