package dev.idempotency.sample.gateway;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The simulated gateway; replace this bean with a real gateway client in production.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

	@Bean
	SimulatedPaymentGateway paymentGateway(MeterRegistry registry, GatewayProperties properties) {
		return new SimulatedPaymentGateway(registry, properties.getLatency());
	}

}
