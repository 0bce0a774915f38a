package dev.idempotency.sample.gateway;

import java.io.IOException;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * The gateway client, and the simulated provider it calls over HTTP; in production, point
 * the client at the real provider and drop the simulation. With
 * {@code payments.gateway.provider-url} set, the client calls that provider and the app
 * starts none of its own.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

	@Bean
	HttpPaymentGateway paymentGateway(RestClient.Builder builder, GatewayProperties properties,
			ObjectProvider<SimulatedProviderServer> ownProvider) {
		String providerUrl = properties.getProviderUrl();
		return new HttpPaymentGateway(builder,
				StringUtils.hasText(providerUrl) ? providerUrl : ownProvider.getObject().baseUrl());
	}

	/**
	 * The simulated provider, in the app's own process, when no provider URL is given.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(NoProviderUrl.class)
	static class OwnProviderConfiguration {

		@Bean
		SimulatedPaymentGateway simulatedPaymentGateway(MeterRegistry registry, GatewayProperties properties) {
			return new SimulatedPaymentGateway(registry, properties.getLatency());
		}

		@Bean(destroyMethod = "stop")
		SimulatedProviderServer simulatedProviderServer(SimulatedPaymentGateway gateway, JsonMapper json,
				GatewayProperties properties) throws IOException {
			return SimulatedProviderServer.start(gateway, json, properties.getProviderPort());
		}

	}

	static class NoProviderUrl implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("payments.gateway.provider-url"));
		}

	}

}
