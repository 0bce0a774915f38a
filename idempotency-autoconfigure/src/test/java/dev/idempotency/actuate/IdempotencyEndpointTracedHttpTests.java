package dev.idempotency.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.idempotency.actuate.EndpointClient.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over real HTTP in a traced application (micrometer-tracing's test tracer behind the
 * observation registry): the endpoint shows the trace id of the request that stored the
 * response, its replay's span names it, and no client ever sees it.
 */
@SpringBootTest(classes = { ActuatorTestApplication.class, IdempotencyEndpointTracedHttpTests.Traced.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "idempotency.store.type=in-memory",
				ActuatorTestApplication.WITHOUT_SECURITY, "management.endpoints.web.exposure.include=idempotency" })
class IdempotencyEndpointTracedHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	private SimpleTracer tracer;

	private EndpointClient client;

	@BeforeEach
	void setUp() {
		client = new EndpointClient(port);
	}

	@Test
	void theRecordAndTheReplaysSpanNameTheTraceOfTheOriginalRequest() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> original = client.post("/payments", key, null);
		HttpResponse<String> replay = client.post("/payments", key, null);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");

		String originalTraceId = await().atMost(Duration.ofSeconds(5))
			.until(() -> span("idempotent POST /payments"), (span) -> span != null)
			.context()
			.traceId();
		SimpleSpan replaySpan = await().atMost(Duration.ofSeconds(5))
			.until(() -> span("idempotent replay POST /payments"), (span) -> span != null);
		assertThat(originalTraceId).isNotEmpty().isNotEqualTo(replaySpan.context().traceId());
		assertThat(replaySpan.getTags()).containsEntry("idempotency.original.trace.id", originalTraceId);

		JsonNode record = client.json(client.read(query("scope", "anonymous", "POST /payments", key), null));
		assertThat(record.get("state").asString()).isEqualTo("completed");
		assertThat(record.get("originalTraceId").asString()).isEqualTo(originalTraceId);

		for (HttpResponse<String> response : List.of(original, replay)) {
			assertThat(response.headers().map().values()).allSatisfy(
					(values) -> assertThat(values).noneSatisfy((value) -> assertThat(value).contains(originalTraceId)));
			assertThat(response.body()).doesNotContain(originalTraceId);
		}
	}

	private SimpleSpan span(String name) {
		return tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).findFirst().orElse(null);
	}

	@Configuration(proxyBeanMethods = false)
	static class Traced {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		TestObservationRegistry observationRegistry(Tracer tracer) {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
			return registry;
		}

	}

}
