package dev.idempotency.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.StoredResponse;
import dev.idempotency.autoconfigure.IdempotencyProperties;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two-layer store when the real Redis stalls rather than dies: a proxy holds the
 * traffic longer than the store's Redis timeout (as wired by default), so the client
 * gives up while its commands still run once Redis answers again. One instance talks to
 * Redis through the proxy, another (a second application instance) directly; both share
 * the real PostgreSQL. Whatever Redis was left holding, its answers must agree with the
 * database within the cache lock timeout.
 */
class TwoLayerStalledRedisRealServersTests {

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final String TABLE = "idem_stall_" + RUN;

	private static final String KEY_PREFIX = "test:two-layer-stall:" + RUN + ":";

	private static final Duration REDIS_TIMEOUT = new IdempotencyProperties().getRedis().getTimeout();

	private static final Duration BOUND = TwoLayerIdempotencyStore.DEFAULT_CACHE_LOCK_TIMEOUT;

	/** Room for a loaded machine's database calls on top of the bound. */
	private static final Duration SLACK = Duration.ofSeconds(1);

	private static final Duration LOCK = Duration.ofSeconds(30);

	private static final Duration RETENTION = Duration.ofHours(1);

	private static StallingTcpProxy proxy;

	private static LettuceConnectionFactory throughProxy;

	private static LettuceConnectionFactory direct;

	private static HikariDataSource dataSource;

	private final TwoLayerRealServersTests.Events events = new TwoLayerRealServersTests.Events();

	private final TwoLayerIdempotencyStore stalledInstance = instance(throughProxy);

	private final TwoLayerIdempotencyStore otherInstance = instance(direct);

	@BeforeAll
	static void startServers() {
		RedisURI redis = RedisURI.create(TestServers.redisUrl());
		proxy = StallingTcpProxy.start(redis.getHost(), redis.getPort());
		throughProxy = connect("redis://127.0.0.1:" + proxy.port() + "/" + redis.getDatabase());
		direct = connect(TestServers.redisUrl());
		JdbcServer postgres = TestServers.postgres();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.jdbcUrl());
		dataSource.setUsername(postgres.username());
		dataSource.setPassword(postgres.password());
		dataSource.setMaximumPoolSize(10);
		new JdbcIdempotencySchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS, TABLE).initializeDatabase();
	}

	private static LettuceConnectionFactory connect(String url) {
		LettuceConnectionFactory factory = RedisStoreConnections.forUrl(url, REDIS_TIMEOUT);
		factory.start();
		return factory;
	}

	@AfterAll
	static void stopServers() throws SQLException {
		throughProxy.destroy();
		direct.destroy();
		proxy.close();
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + TABLE);
		}
		dataSource.close();
	}

	@AfterEach
	void redisAnswersAgain() {
		proxy.resume();
	}

	private TwoLayerIdempotencyStore instance(LettuceConnectionFactory redisConnections) {
		RedisIdempotencyStore redis = new RedisIdempotencyStore(redisConnections);
		redis.setKeyPrefix(KEY_PREFIX);
		// Connected and the script loaded before the test (the first call may outlast the
		// timeout on a busy machine): a stalled claim is then the script itself.
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> redis.claim(newKey(), "warm-up", Duration.ofSeconds(1)) instanceof ClaimResult.Acquired);
		return new TwoLayerIdempotencyStore(redis, new ListeningIdempotencyStore(
				new JdbcIdempotencyStore(dataSource, TABLE), StoreLayer.DATABASE, events));
	}

	@Test
	void aDeclinedRequestWhoseRedisClaimRanLateLeavesNoStaleAnswerBeyondTheBound() {
		IdempotencyKey key = newKey();
		proxy.stall();
		String declined = acquire(stalledInstance, key, "fp-a");
		assertThat(stalledInstance.isDegraded()).as("the Redis claim timed out").isTrue();
		assertThat(stalledInstance.release(key, declined)).as("402: released in the database").isTrue();
		proxy.resume();
		awaitRedisHolds(key);

		String corrected = acquire(stalledInstance, key, "fp-b");
		StoredResponse paid = response("{\"id\":\"pay_b\"}");
		assertThat(stalledInstance.complete(key, corrected, paid, RETENTION)).isTrue();

		await().atMost(BOUND.plus(SLACK)).untilAsserted(() -> {
			assertThat(otherInstance.claim(key, "fp-b", LOCK)).isEqualTo(new ClaimResult.Completed(paid));
			assertThat(otherInstance.claim(key, "fp-a", LOCK)).isEqualTo(new ClaimResult.Mismatch());
		});
	}

	@Test
	void aRequestCompletedDuringTheStallReplaysWithinTheBound() {
		IdempotencyKey key = newKey();
		proxy.stall();
		String token = acquire(stalledInstance, key, "fp");
		StoredResponse created = response("{\"id\":\"pay_c\"}");
		assertThat(stalledInstance.complete(key, token, created, RETENTION)).isTrue();
		proxy.resume();
		awaitRedisHolds(key);

		await().atMost(BOUND.plus(SLACK))
			.untilAsserted(() -> assertThat(otherInstance.claim(key, "fp", LOCK))
				.isEqualTo(new ClaimResult.Completed(created)));
	}

	@Test
	void redisHoldsARunningRequestsMarkerNoLongerThanTheCacheLockTimeoutOrTheLockTimeout() {
		// Long enough not to expire while a busy machine runs the database claim.
		otherInstance.setCacheLockTimeout(Duration.ofSeconds(20));
		IdempotencyKey running = newKey();
		acquire(otherInstance, running, "fp");
		IdempotencyKey shortLock = newKey();
		assertThat(otherInstance.claim(shortLock, "fp", Duration.ofSeconds(15)))
			.isInstanceOf(ClaimResult.Acquired.class);
		try (RedisConnection connection = direct.getConnection()) {
			assertThat(connection.keyCommands().pTtl(redisKey(running))).isBetween(1L, 20_000L);
			assertThat(connection.keyCommands().pTtl(redisKey(shortLock))).isBetween(1L, 15_000L);
		}
	}

	@Test
	void aRetryStormOnARunningRequestReachesTheDatabaseAboutOncePerCacheLockTimeout() throws Exception {
		Duration cacheLock = Duration.ofMillis(250);
		otherInstance.setCacheLockTimeout(cacheLock);
		IdempotencyKey key = newKey();
		acquire(otherInstance, key, "fp");
		int databaseClaims = events.databaseClaims.get();
		long start = System.nanoTime();
		List<ClaimResult> retries = storm(8, 50, () -> otherInstance.claim(key, "fp", LOCK));
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

		assertThat(retries).hasSize(400)
			.allSatisfy((retry) -> assertThat(retry).isInstanceOf(ClaimResult.InFlight.class));
		// Redis lets one claim through per expired marker, and that claim's marker is
		// kept.
		assertThat(events.databaseClaims.get() - databaseClaims)
			.isLessThanOrEqualTo((int) (elapsedMillis / cacheLock.toMillis()) + 1);
	}

	private static <T> List<T> storm(int threads, int callsEach, Callable<T> call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<List<T>>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					List<T> results = new ArrayList<>();
					for (int n = 0; n < callsEach; n++) {
						results.add(call.call());
					}
					return results;
				}));
			}
			List<T> all = new ArrayList<>();
			for (Future<List<T>> future : futures) {
				all.addAll(future.get());
			}
			return all;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static String acquire(TwoLayerIdempotencyStore store, IdempotencyKey key, String fingerprint) {
		ClaimResult result = store.claim(key, fingerprint, LOCK);
		assertThat(result).isInstanceOf(ClaimResult.Acquired.class);
		return ((ClaimResult.Acquired) result).lockToken();
	}

	/** The claim the client gave up on runs once the proxy forwards it. */
	private static void awaitRedisHolds(IdempotencyKey key) {
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			try (RedisConnection connection = direct.getConnection()) {
				assertThat(connection.keyCommands().exists(redisKey(key))).isTrue();
			}
		});
	}

	private static byte[] redisKey(IdempotencyKey key) {
		return (KEY_PREFIX + "{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8);
	}

	private static IdempotencyKey newKey() {
		return new IdempotencyKey("tenant-" + UUID.randomUUID(), "POST /payments", UUID.randomUUID().toString());
	}

	private static StoredResponse response(String body) {
		return new StoredResponse(201, Map.of("Content-Type", List.of("application/json")),
				body.getBytes(StandardCharsets.UTF_8));
	}

}
