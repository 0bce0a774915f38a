package com.example.shop;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * Filters declared the short way, as plain beans: Spring Boot registers them with the
 * default order, after every filter that declares one.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	ShallowEtagHeaderFilter etagFilter() {
		return new ShallowEtagHeaderFilter();
	}

	@Bean
	ResponseLoggingFilter responseLoggingFilter() {
		return new ResponseLoggingFilter();
	}

}
