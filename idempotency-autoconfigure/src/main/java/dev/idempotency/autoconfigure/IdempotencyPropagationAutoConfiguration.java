package dev.idempotency.autoconfigure;

import dev.idempotency.client.IdempotencyKeyExchangeFilter;
import dev.idempotency.client.IdempotencyKeyPropagation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Derived idempotency keys on outbound requests, when
 * {@code idempotency.propagation.enabled}: the application's {@code RestClient.Builder}
 * and {@code RestTemplateBuilder} get {@link IdempotencyKeyPropagation}, its
 * {@code WebClient.Builder} gets {@link IdempotencyKeyExchangeFilter}, for the hosts
 * listed in {@code idempotency.propagation.hosts}. Each client only when it is on the
 * class path.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class,
		beforeName = { "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration",
				"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
@ConditionalOnBooleanProperty("idempotency.propagation.enabled")
public final class IdempotencyPropagationAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class RestClientPropagation {

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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClient.class, WebClientCustomizer.class })
	static class WebClientPropagation {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyKeyExchangeFilter idempotencyKeyExchangeFilter(IdempotencyProperties properties) {
			return new IdempotencyKeyExchangeFilter(properties.getPropagation().getHeaderName(),
					properties.getPropagation().getHosts());
		}

		@Bean
		WebClientCustomizer idempotencyKeyPropagationWebClientCustomizer(IdempotencyKeyExchangeFilter filter) {
			// The default request runs on the thread that assembles the request, where
			// the operation is bound; the filter runs wherever the request is subscribed.
			return (builder) -> builder.defaultRequest(filter::capture).filter(filter);
		}

	}

}
