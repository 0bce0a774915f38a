package dev.idempotency.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.idempotency.IdempotencyScopeResolver;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.web.IdempotencyFilter;
import dev.idempotency.web.IdempotencyInterceptor;
import dev.idempotency.web.IdempotencyKeyArgumentResolver;
import dev.idempotency.web.IdempotencyOpenApiCustomizer;
import dev.idempotency.web.IdempotencySettings;
import dev.idempotency.web.IdempotentEndpointsVerifier;
import dev.idempotency.web.PrincipalScopeResolver;
import dev.idempotency.web.RequestFingerprinter;
import dev.idempotency.web.RequestKeyExpressions;
import dev.idempotency.web.Sha256RequestFingerprinter;
import dev.idempotency.web.StatusPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC side: the filter, the interceptor and the {@code IdempotencyKey} handler
 * argument.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(IdempotencyStore.class)
public final class IdempotencyWebMvcAutoConfiguration {

	private static final Log logger = LogFactory.getLog(IdempotencyWebMvcAutoConfiguration.class);

	/**
	 * Runs after Spring Security (-100) so unauthenticated requests are never wrapped.
	 */
	static final int FILTER_ORDER = -10;

	@Bean
	@ConditionalOnMissingBean
	IdempotencyScopeResolver idempotencyScopeResolver() {
		return new PrincipalScopeResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	RequestFingerprinter idempotencyRequestFingerprinter(IdempotencyProperties properties) {
		IdempotencyProperties.Fingerprint fingerprint = properties.getFingerprint();
		return new Sha256RequestFingerprinter(fingerprint.isCanonicalJson(), fingerprint.isNormalizeNumbers());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyInterceptor idempotencyInterceptor(IdempotencyEngine engine, IdempotencyStore store,
			IdempotencyScopeResolver scopeResolver, RequestFingerprinter fingerprinter,
			IdempotencyProperties properties, ObjectProvider<RequestKeyExpressions> requestKeys) {
		logger.info("Idempotent endpoints keep their keys in " + store);
		return new IdempotencyInterceptor(engine, scopeResolver, fingerprinter, settings(properties),
				requestKeys.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springdoc.core.customizers.GlobalOperationCustomizer")
	static class OpenApiConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyOpenApiCustomizer idempotencyOpenApiCustomizer(IdempotencyProperties properties) {
			return new IdempotencyOpenApiCustomizer(settings(properties));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class RequestKeysConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestKeyExpressions idempotencyRequestKeyExpressions(ObjectProvider<JsonMapper> mapper) {
			return new RequestKeyExpressions(mapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyFilter")
	FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyProperties properties,
			ObjectProvider<IdempotentEndpointsVerifier> endpoints) {
		IdempotentEndpointsVerifier verifier = endpoints.getIfAvailable();
		FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(new IdempotencyFilter(
				settings(properties), (verifier != null) ? verifier::someEndpointReadsKeysFromRequests : () -> false));
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotentEndpointsVerifier idempotentEndpointsVerifier(ListableBeanFactory beans, IdempotencyProperties properties,
			IdempotencyEngine engine) {
		return new IdempotentEndpointsVerifier(beans, settings(properties), engine.supportsTransactions());
	}

	@Bean
	WebMvcConfigurer idempotencyWebMvcConfigurer(IdempotencyInterceptor interceptor) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				// First of all interceptors: the transaction of an operation in
				// TRANSACTION mode must enclose what others open per request, such as
				// open-in-view's EntityManager, which would otherwise be closed before
				// the commit.
				registry.addInterceptor(interceptor).order(Ordered.HIGHEST_PRECEDENCE);
			}

			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new IdempotencyKeyArgumentResolver());
			}

		};
	}

	private static StatusPolicy storedStatuses(IdempotencyProperties.Response response) {
		if (!response.getStoredStatuses().isEmpty()) {
			return StatusPolicy.parse(response.getStoredStatuses());
		}
		return response.isStoreErrors() ? StatusPolicy.EVERY_STATUS : StatusPolicy.SUCCESSES;
	}

	static IdempotencySettings settings(IdempotencyProperties properties) {
		Set<String> replayed = new LinkedHashSet<>(IdempotencySettings.DEFAULT_REPLAYED_HEADERS);
		replayed.addAll(properties.getResponse().getReplayedHeaders());
		return new IdempotencySettings(properties.getHeaderName(), properties.getRetention(),
				properties.getLockTimeout(), properties.getInFlight().getPolicy(),
				properties.getInFlight().getMaxWait(), storedStatuses(properties.getResponse()), replayed,
				properties.getRequest().getMaxBodySize().toBytes(), properties.getResponse().getMaxBodySize().toBytes(),
				properties.getMethods(), properties.getAtomicity());
	}

}
