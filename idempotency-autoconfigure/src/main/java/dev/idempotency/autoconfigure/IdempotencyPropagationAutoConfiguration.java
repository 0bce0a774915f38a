package dev.idempotency.autoconfigure;

import dev.idempotency.client.IdempotencyKeyPropagation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Derived idempotency keys on outbound requests, when
 * {@code idempotency.propagation.enabled}: the application's {@code RestClient.Builder}
 * and {@code RestTemplateBuilder} get {@link IdempotencyKeyPropagation} for the hosts
 * listed in {@code idempotency.propagation.hosts}.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class,
		beforeName = { "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration" })
@ConditionalOnClass(RestClientCustomizer.class)
@ConditionalOnBooleanProperty("idempotency.propagation.enabled")
public final class IdempotencyPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyKeyPropagation idempotencyKeyPropagation(IdempotencyProperties properties) {
		return new IdempotencyKeyPropagation(properties.getPropagation().getHeaderName(),
				properties.getPropagation().getHosts());
	}

	@Bean
	RestClientCustomizer idempotencyKeyPropagationRestClientCustomizer(IdempotencyKeyPropagation propagation) {
		return (builder) -> builder.requestInterceptor(propagation);
	}

	@Bean
	RestTemplateCustomizer idempotencyKeyPropagationRestTemplateCustomizer(IdempotencyKeyPropagation propagation) {
		return (restTemplate) -> restTemplate.getInterceptors().add(propagation);
	}

}
