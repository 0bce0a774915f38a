package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import dev.idempotency.Idempotent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over real HTTP, an idempotent handler's own observation nests inside the
 * {@code idempotency.operation} observation, and the replay is an observation of its own
 * that shares the key's digest.
 */
@SpringBootTest(classes = { ProtocolTestApplication.class, ObservationHttpTests.Observed.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "idempotency.store.type=in-memory")
class ObservationHttpTests {

	private static final Predicate<Observation.ContextView> IS_OPERATION = (context) -> "idempotency.operation"
		.equals(context.getName());

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Autowired
	private TestObservationRegistry registry;

	@Test
	void theHandlersObservationNestsInsideTheIdempotentOperationAndTheReplayIsObservedToo() throws Exception {
		String key = UUID.randomUUID().toString();

		HttpResponse<String> first = post(key);
		HttpResponse<String> replayed = post(key);

		assertThat(first.body()).isEqualTo("observed");
		assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(registry).hasNumberOfObservationsWithNameEqualTo("idempotency.operation", 2)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("idempotency.operation")
					.hasContextualNameEqualTo("idempotent POST /observed")
					.hasLowCardinalityKeyValue("endpoint", "POST /observed")
					.hasLowCardinalityKeyValue("outcome", "executed")
					.hasLowCardinalityKeyValue("completion", "stored")
					.hasHighCardinalityKeyValueWithKey("idempotency.key.digest")
					.hasParentObservation())
				.hasAnObservation((observation) -> observation.hasNameEqualTo("idempotency.operation")
					.hasContextualNameEqualTo("idempotent replay POST /observed")
					.hasLowCardinalityKeyValue("outcome", "replayed")));
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("observed.handler", 1)
			.hasObservationWithNameEqualTo("observed.handler")
			.that()
			.hasParentObservationContextMatching(IS_OPERATION);
		assertThat(registry).forAllObservationsWithNameEqualTo("idempotency.operation",
				(observation) -> observation.doesNotHaveHighCardinalityKeyValue("idempotency.key.digest", key));
	}

	private HttpResponse<String> post(String key) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/observed"))
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	static class Observed {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

		@Bean
		ObservedController observedController(ObservationRegistry registry) {
			return new ObservedController(registry);
		}

	}

	@RestController
	static class ObservedController {

		private final ObservationRegistry registry;

		ObservedController(ObservationRegistry registry) {
			this.registry = registry;
		}

		@Idempotent
		@PostMapping("/observed")
		String observed() {
			return Observation.createNotStarted("observed.handler", registry).observe(() -> "observed");
		}

	}

}
