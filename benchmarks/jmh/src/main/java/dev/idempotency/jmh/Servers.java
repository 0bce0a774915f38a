package dev.idempotency.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.StoredResponse;
import dev.idempotency.redis.RedisStoreConnections;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The servers the benchmarks run against: the machine's Redis and PostgreSQL unless
 * {@code SPRING_DATA_REDIS_URL} / {@code SPRING_DATASOURCE_URL} say otherwise.
 */
final class Servers {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	static final Duration LOCK = Duration.ofSeconds(30);

	static final Duration RETENTION = Duration.ofMinutes(10);

	/** A SHA-256 in hex, as the web layer's fingerprints are. */
	static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

	/** A typical small JSON answer of a payments endpoint. */
	static final StoredResponse RESPONSE = new StoredResponse(201,
			Map.of("Content-Type", List.of("application/json"), "Location", List.of("/api/v1/payments/pay_123")),
			"{\"id\":\"pay_123\",\"amount\":10000,\"currency\":\"USD\",\"customerId\":\"cust-alice\",\"status\":\"succeeded\"}"
				.getBytes(StandardCharsets.UTF_8));

	private Servers() {
	}

	static String redisUrl() {
		return env("SPRING_DATA_REDIS_URL", "redis://127.0.0.1:6379/0");
	}

	static LettuceConnectionFactory redis() {
		LettuceConnectionFactory factory = RedisStoreConnections.forUrl(redisUrl(), TIMEOUT);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	static HikariDataSource postgres() {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
		dataSource.setUsername(env("SPRING_DATASOURCE_USERNAME", "postgres"));
		String password = System.getenv("SPRING_DATASOURCE_PASSWORD");
		if (password != null) {
			dataSource.setPassword(password);
		}
		dataSource.setMaximumPoolSize(2);
		dataSource.setPoolName("jmh");
		return dataSource;
	}

	/** Unique per run so that a rerun never meets keys an earlier one left behind. */
	static String runId() {
		return Long.toString(System.nanoTime(), 36);
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
