package dev.idempotency.sample.embedded;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The default profile's embedded servers: started only when nothing else is configured,
 * and then real servers one can talk to.
 */
class EmbeddedServersEnvironmentPostProcessorTests {

	private final EmbeddedServersEnvironmentPostProcessor postProcessor = new EmbeddedServersEnvironmentPostProcessor(
			new DeferredLogs());

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void startsNothingInTheProdProfile() {
		environment.setActiveProfiles("prod");
		environment.setProperty("spring.datasource.url", "jdbc:postgresql://db.example/payments");
		environment.setProperty("spring.data.redis.url", "redis://cache.example:6379");
		postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.example/payments");
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://cache.example:6379");
	}

	@Test
	void failsInTheProdProfileWithoutServers() {
		environment.setActiveProfiles("prod");
		environment.setProperty("spring.datasource.url", "jdbc:postgresql://db.example/payments");
		assertThatIllegalStateException()
			.isThrownBy(() -> postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessageContaining("spring.data.redis.url");
	}

	@Test
	void startsNothingWhenDisabled() {
		environment.setProperty(EmbeddedServersEnvironmentPostProcessor.ENABLED, "false");
		postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("spring.datasource.url")).isFalse();
		assertThat(environment.containsProperty("spring.data.redis.url")).isFalse();
	}

	@Test
	void startsAndRequiresNothingWhileSpringAotProcessesTheApp() {
		environment.setActiveProfiles("prod");
		environment.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		postProcessor.postProcessEnvironment(environment, new SpringApplication());
		environment.setActiveProfiles();
		postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("spring.datasource.url")).isFalse();
		assertThat(environment.containsProperty("spring.data.redis.url")).isFalse();
	}

	@Test
	void startsNothingWhenServersAreConfigured() {
		environment.setProperty("spring.datasource.url", "jdbc:postgresql://db.example/payments");
		environment.setProperty("spring.data.redis.host", "cache.example");
		postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.example/payments");
		assertThat(environment.containsProperty("spring.data.redis.url")).isFalse();
	}

	@Test
	void startsRealPostgresqlAndRedisWhenNothingIsConfigured() throws Exception {
		postProcessor.postProcessEnvironment(environment, new SpringApplication());
		String jdbcUrl = environment.getProperty("spring.datasource.url");
		assertThat(jdbcUrl).startsWith("jdbc:postgresql:");
		try (Connection connection = DriverManager.getConnection(jdbcUrl,
				environment.getProperty("spring.datasource.username"),
				environment.getProperty("spring.datasource.password"));
				ResultSet result = connection.createStatement().executeQuery("select version()")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getString(1)).startsWith("PostgreSQL");
		}
		URI redis = URI.create(environment.getProperty("spring.data.redis.url"));
		assertThat(redis.getHost()).isEqualTo("127.0.0.1");
		try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			assertThat(in.readLine()).isEqualTo("+PONG");
		}
	}

}
