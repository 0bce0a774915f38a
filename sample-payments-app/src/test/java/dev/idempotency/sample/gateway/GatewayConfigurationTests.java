package dev.idempotency.sample.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway client calls the app's own simulated provider by default, and a provider
 * running elsewhere when {@code payments.gateway.provider-url} is set, then starting none
 * of its own.
 */
class GatewayConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(GatewayConfiguration.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build())
		.withBean(RestClient.Builder.class, RestClient::builder)
		.withPropertyValues("payments.gateway.latency=0ms");

	@Test
	void withoutAProviderUrlTheAppStartsAndCallsItsOwnProvider() {
		contexts.run((context) -> {
			assertThat(context).hasSingleBean(SimulatedProviderServer.class);
			context.getBean(HttpPaymentGateway.class).charge(1000, "eur", "cust-1");
			assertThat(context.getBean(SimulatedPaymentGateway.class).chargeCount()).isEqualTo(1);
		});
	}

	@Test
	void withAProviderUrlTheAppCallsThatProviderAndStartsNoneOfItsOwn() throws Exception {
		SimulatedPaymentGateway elsewhere = new SimulatedPaymentGateway(new SimpleMeterRegistry(), Duration.ZERO);
		SimulatedProviderServer server = SimulatedProviderServer.start(elsewhere, JsonMapper.builder().build(), 0);
		try {
			contexts.withPropertyValues("payments.gateway.provider-url=" + server.baseUrl()).run((context) -> {
				assertThat(context).doesNotHaveBean(SimulatedProviderServer.class)
					.doesNotHaveBean(SimulatedPaymentGateway.class);
				context.getBean(HttpPaymentGateway.class).charge(1000, "eur", "cust-1");
			});
			assertThat(elsewhere.chargeCount()).isEqualTo(1);
			assertThat(counts(server)).isEqualTo("{\"charges\":1,\"refunds\":0}");
		}
		finally {
			server.stop();
		}
	}

	private static String counts(SimulatedProviderServer server) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + SimulatedProviderServer.COUNTS)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
