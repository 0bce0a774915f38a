package dev.idempotency.engine;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An owner that renews its lock keeps its key however long it runs; killed with SIGKILL
 * (no shutdown hook, no release), it stops renewing and its key is free after the lock
 * timeout. The owner is a separate JVM on real Redis and PostgreSQL.
 */
class KilledLeaseOwnerRealServersTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	private Process owner;

	@AfterEach
	void cleanUp() throws Exception {
		if (owner != null) {
			owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		for (int i = resources.size() - 1; i >= 0; i--) {
			resources.get(i).close();
		}
	}

	@Test
	void aKilledOwnersKeyIsFreeAfterTheLockTimeoutOnRedis() throws Exception {
		String url = TestServers.redisUrl();
		LettuceConnectionFactory connectionFactory = RedisStoreConnections.forUrl(url, Duration.ofSeconds(2));
		connectionFactory.start();
		resources.add(connectionFactory::destroy);

		killedOwnerFreesItsKey(LeaseOwnerProcess.redisStore(connectionFactory), "redis", url);
	}

	@Test
	void aKilledOwnersKeyIsFreeAfterTheLockTimeoutOnPostgres() throws Exception {
		JdbcServer server = TestServers.postgres();
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
		dataSource.setUsername(server.username());
		dataSource.setPassword(server.password());
		resources.add(dataSource);
		String table = "idem_lease_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		new JdbcIdempotencySchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS, table).initializeDatabase();
		resources.add(() -> new JdbcTemplate(dataSource).execute("DROP TABLE IF EXISTS " + table));

		killedOwnerFreesItsKey(new JdbcIdempotencyStore(dataSource, table), "jdbc", server.jdbcUrl(), server.username(),
				server.password(), table);
	}

	private void killedOwnerFreesItsKey(IdempotencyStore store, String... ownerArgs) throws Exception {
		String clientKey = UUID.randomUUID().toString();
		IdempotentOperation operation = LeaseOwnerProcess.operation(clientKey);
		long ownersFence = startOwner(ownerArgs, clientKey);

		// Three lock timeouts later, the live owner still holds the key: it renews.
		Thread.sleep(LeaseOwnerProcess.LOCK.multipliedBy(3).toMillis());
		assertThat(store.claim(operation.key(), "fp", LeaseOwnerProcess.LOCK)).isInstanceOf(ClaimResult.InFlight.class);

		owner.destroyForcibly();
		assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();
		long killed = System.nanoTime();

		ClaimResult.Acquired[] taken = new ClaimResult.Acquired[1];
		await().atMost(LeaseOwnerProcess.LOCK.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
			if (store.claim(operation.key(), "fp", LeaseOwnerProcess.LOCK) instanceof ClaimResult.Acquired acquired) {
				taken[0] = acquired;
				return true;
			}
			return false;
		});
		assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(LeaseOwnerProcess.LOCK.plusSeconds(2));
		assertThat(taken[0].fencingToken()).isGreaterThan(ownersFence);
	}

	private long startOwner(String[] ownerArgs, String clientKey) throws Exception {
		List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-cp", System.getProperty("java.class.path"), LeaseOwnerProcess.class.getName()));
		command.addAll(List.of(ownerArgs));
		command.add(clientKey);
		owner = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		BufferedReader output = new BufferedReader(
				new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
		String claimed = CompletableFuture.supplyAsync(() -> {
			try {
				String line;
				while ((line = output.readLine()) != null) {
					if (line.startsWith("CLAIMED ")) {
						return line;
					}
				}
				return "exited";
			}
			catch (java.io.IOException ex) {
				return ex.toString();
			}
		}).get(60, TimeUnit.SECONDS);
		assertThat(claimed).startsWith("CLAIMED ");
		return Long.parseLong(claimed.substring("CLAIMED ".length()));
	}

}
