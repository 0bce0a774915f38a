package com.example.streaming;

import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Starts {@link StreamingApplication} as its user would, against real PostgreSQL and
 * Redis so that nothing but the streaming handler can stop it.
 */
class IdempotentStreamingStartupRealServersTests {

	@Test
	void idempotentServerSentEventsHandlerFailsTheStartUpNamingTheMethod() {
		JdbcServer postgres = TestServers.postgres();
		SpringApplicationBuilder application = new SpringApplicationBuilder(StreamingApplication.class).properties(
				"server.port=0", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(), "spring.data.redis.url=" + TestServers.redisUrl(),
				"idempotency.jdbc.table-name=userapp_idempotency_keys",
				"idempotency.redis.key-prefix=userapp-idempotency:");

		Throwable failure = catchThrowable(() -> {
			try (ConfigurableApplicationContext started = application.run()) {
				// Started: the failure below says so.
			}
		});

		assertThat(failure).as("start-up failure of an application whose @Idempotent handler returns SseEmitter")
			.isNotNull();
		assertThat(messages(failure)).contains("streamOrderEvents");
	}

	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause).append('\n');
		}
		return messages.toString();
	}

}
