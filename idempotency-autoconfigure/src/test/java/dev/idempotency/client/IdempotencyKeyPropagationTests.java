package dev.idempotency.client;

import java.util.ArrayList;
import java.util.List;

import dev.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyOperationsAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyPropagationAutoConfiguration;
import dev.idempotency.operation.IdempotencyTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.client.ExpectedCount.manyTimes;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.method;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

/**
 * Outbound calls made inside an idempotent operation, through the application's
 * {@code RestClient.Builder}, carry derived keys: stable across retries of the operation,
 * distinct per call, never the client's key, only to the hosts listed.
 */
class IdempotencyKeyPropagationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				IdempotencyOperationsAutoConfiguration.class, IdempotencyPropagationAutoConfiguration.class,
				RestClientAutoConfiguration.class))
		.withPropertyValues("idempotency.store.type=in-memory", "idempotency.propagation.enabled=true",
				"idempotency.propagation.hosts=gateway.test,*.payments.test");

	@Test
	void callsInsideAnOperationGetStableDistinctDerivedKeys() {
		runner.run((context) -> {
			List<String> sent = new ArrayList<>();
			RestClient.Builder builder = context.getBean(RestClient.Builder.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
			server.expect(manyTimes(), method(HttpMethod.POST))
				.andExpect((request) -> sent.add(request.getHeaders().getFirst("Idempotency-Key")))
				.andRespond(withSuccess());
			RestClient client = builder.build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
			Runnable charge = () -> {
				client.post().uri("http://gateway.test/charges").retrieve().toBodilessEntity();
				client.post().uri("http://gateway.test/charges").retrieve().toBodilessEntity();
			};

			// The first attempt fails after its calls: the key is freed and the retry
			// runs.
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> template.call("payments", "client-key-1").run(() -> {
					charge.run();
					throw new IllegalStateException("timed out");
				}));
			template.call("payments", "client-key-1").run(charge);

			assertThat(sent).hasSize(4).doesNotContainNull().allMatch((key) -> !key.contains("client-key-1"));
			assertThat(sent.get(0)).isNotEqualTo(sent.get(1));
			assertThat(sent.subList(2, 4)).containsExactlyElementsOf(sent.subList(0, 2));
		});
	}

	@Test
	void callsOutsideAnOperationToOtherHostsOrAlreadyKeyedAreLeftAlone() {
		runner.run((context) -> {
			List<String> sent = new ArrayList<>();
			RestClient.Builder builder = context.getBean(RestClient.Builder.class);
			MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
			server.expect(manyTimes(), method(HttpMethod.POST))
				.andExpect((request) -> sent.add(String.valueOf(request.getHeaders().getFirst("Idempotency-Key"))))
				.andRespond(withSuccess());
			RestClient client = builder.build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);

			client.post().uri("http://gateway.test/charges").retrieve().toBodilessEntity();
			template.call("payments", "k2").run(() -> {
				client.post().uri("http://elsewhere.test/charges").retrieve().toBodilessEntity();
				client.post()
					.uri("http://eu.payments.test/charges")
					.header("Idempotency-Key", "mine")
					.retrieve()
					.toBodilessEntity();
				client.post().uri("http://eu.payments.test/charges").retrieve().toBodilessEntity();
			});

			assertThat(sent).hasSize(4);
			assertThat(sent.subList(0, 3)).containsExactly("null", "null", "mine");
			assertThat(sent.get(3)).startsWith("idem_");
		});
	}

	@Test
	void offUnlessEnabled() {
		runner.withPropertyValues("idempotency.propagation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyKeyPropagation.class));
	}

}
