package dev.idempotency.sample.security;

import dev.idempotency.sample.webhook.GatewaySignature;
import dev.idempotency.sample.webhook.WebhookProperties;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Stateless security in two filter chains. The gateway's webhook ({@value #WEBHOOKS})
 * authenticates by the HMAC signature of its body, never by API key. Everything else:
 * merchants authenticate with their bearer API key, actuator endpoints are open, the rest
 * needs a merchant. No sessions, so no CSRF. Spring Security's filters run before the
 * idempotency starter's, so a request that fails authentication never claims a key.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ MerchantProperties.class, WebhookProperties.class })
class SecurityConfiguration {

	static final String WEBHOOKS = "/api/v1/webhooks/**";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain webhookSecurity(HttpSecurity http, WebhookProperties webhooks, JsonMapper jsonMapper)
			throws Exception {
		GatewaySignatureFilter signatureFilter = new GatewaySignatureFilter(new GatewaySignature(webhooks.getSecret()));
		return http.securityMatcher(WEBHOOKS)
			.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole(GatewaySignatureFilter.ROLE))
			.addFilterBefore(signatureFilter, AuthorizationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(new SignatureProblemEntryPoint(jsonMapper)))
			.build();
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityFilterChain apiSecurity(HttpSecurity http, MerchantProperties merchants, JsonMapper jsonMapper)
			throws Exception {
		ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint(jsonMapper);
		return http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/**", "/error")
				.permitAll()
				.anyRequest()
				.authenticated())
			.addFilterBefore(new ApiKeyAuthenticationFilter(merchants.getMerchants()), AuthorizationFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint))
			.build();
	}

	/**
	 * No user accounts: stops Spring Boot from creating a default user with a generated
	 * password.
	 */
	@Bean
	UserDetailsService noUsers() {
		return new InMemoryUserDetailsManager();
	}

}
