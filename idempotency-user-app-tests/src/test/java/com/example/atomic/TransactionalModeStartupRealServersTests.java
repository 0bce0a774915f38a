package com.example.atomic;

import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Starts {@link AtomicCheckoutApplication} as its user would, against real PostgreSQL and
 * Redis: a handler in transactional mode starts only where the mode can hold.
 */
class TransactionalModeStartupRealServersTests {

	@Test
	void transactionalHandlerStartsOnTheTwoLayerStore() {
		try (ConfigurableApplicationContext started = application("plain").run()) {
			assertThat(started.isActive()).isTrue();
		}
	}

	@Test
	void transactionalHandlerOnTheRedisStoreFailsTheStartUpNamingTheMethod() {
		Throwable failure = catchThrowable(() -> startAndClose(application("plain", "idempotency.store.type=redis")));

		assertThat(failure).as("start-up failure of a transactional handler on the Redis store").isNotNull();
		assertThat(messages(failure)).contains("CheckoutController#checkout")
			.contains("needs the JDBC store on PostgreSQL");
	}

	@Test
	void asyncTransactionalHandlerFailsTheStartUpNamingTheMethod() {
		Throwable failure = catchThrowable(() -> startAndClose(application("async")));

		assertThat(failure).as("start-up failure of an async handler in transactional mode").isNotNull();
		assertThat(messages(failure)).contains("checkoutLater").contains("bound to the request's thread");
	}

	private static SpringApplicationBuilder application(String profile, String... properties) {
		JdbcServer postgres = TestServers.postgres();
		return new SpringApplicationBuilder(AtomicCheckoutApplication.class).profiles(profile)
			.properties("server.port=0", "spring.datasource.url=" + postgres.jdbcUrl(),
					"spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password(),
					"spring.data.redis.url=" + TestServers.redisUrl(), "idempotency.jdbc.initialize-schema=always",
					"idempotency.jdbc.table-name=userapp_idempotency_keys",
					"idempotency.redis.key-prefix=userapp-idempotency:")
			.properties(properties);
	}

	private static void startAndClose(SpringApplicationBuilder application) {
		try (ConfigurableApplicationContext started = application.run()) {
			// Started: the failure the test expects says otherwise.
		}
	}

	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause).append('\n');
		}
		return messages.toString();
	}

}
