package dev.idempotency.sample.security;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Stateless API-key security: merchants authenticate with their bearer API key, actuator
 * endpoints are open, everything else needs a merchant. No sessions, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MerchantProperties.class)
class SecurityConfiguration {

	@Bean
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
