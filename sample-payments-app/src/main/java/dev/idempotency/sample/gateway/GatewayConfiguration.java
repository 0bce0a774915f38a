package dev.idempotency.sample.gateway;

import java.io.IOException;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * The gateway client, and the simulated provider it calls over HTTP; in production, point
 * the client at the real provider and drop the simulation.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

	@Bean
	SimulatedPaymentGateway simulatedPaymentGateway(MeterRegistry registry, GatewayProperties properties) {
		return new SimulatedPaymentGateway(registry, properties.getLatency());
	}

	@Bean(destroyMethod = "stop")
	SimulatedProviderServer simulatedProviderServer(SimulatedPaymentGateway gateway, JsonMapper json,
			GatewayProperties properties) throws IOException {
		return SimulatedProviderServer.start(gateway, json, properties.getProviderPort());
	}

	@Bean
	HttpPaymentGateway paymentGateway(RestClient.Builder builder, SimulatedProviderServer provider) {
		return new HttpPaymentGateway(builder, provider.baseUrl());
	}

}
