package dev.idempotency.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyListener.StoreOperation;
import dev.idempotency.IdempotencyListener.StoreResult;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.OwnedRedisServer;
import dev.idempotency.testservers.TestServers;
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
 * The two-layer store on a real Redis (one this test owns, so it can flush, stop and
 * restart it) in front of a real PostgreSQL: the contract, and the rule that Redis may
 * refuse but only the database may grant, through Redis losing data and going down.
 */
class TwoLayerRealServersTests extends IdempotencyStoreContractTests {

	private static final String TABLE = "idem_two_" + UUID.randomUUID().toString().substring(0, 8);

	private static OwnedRedisServer redisServer;

	private static LettuceConnectionFactory redisConnections;

	private static HikariDataSource dataSource;

	private final Events events = new Events();

	private TwoLayerIdempotencyStore twoLayer;

	@BeforeAll
	static void startServers() {
		redisServer = OwnedRedisServer.start();
		redisConnections = RedisStoreConnections.forUrl(redisServer.url(), Duration.ofMillis(300));
		redisConnections.start();
		JdbcServer postgres = TestServers.postgres();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.jdbcUrl());
		dataSource.setUsername(postgres.username());
		dataSource.setPassword(postgres.password());
		dataSource.setMaximumPoolSize(40);
		new JdbcIdempotencySchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS, TABLE).initializeDatabase();
	}

	@AfterAll
	static void stopServers() {
		redisConnections.destroy();
		redisServer.close();
		dataSource.close();
	}

	@AfterEach
	void redisIsBack() {
		redisServer.startAgain();
	}

	@Override
	protected IdempotencyStore createStore() {
		CacheLayer redis = new ListeningCacheLayer(new RedisIdempotencyStore(redisConnections), StoreLayer.REDIS,
				events);
		IdempotencyStore database = new ListeningIdempotencyStore(new JdbcIdempotencyStore(dataSource, TABLE),
				StoreLayer.DATABASE, events);
		twoLayer = new TwoLayerIdempotencyStore(redis, database);
		twoLayer.setCacheRetryInterval(Duration.ofMillis(500));
		twoLayer.setListener(events);
		return twoLayer;
	}

	@Test
	void aResponseRedisLostIsReplayedFromTheDatabaseAndWrittenBack() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "{\"id\":\"pay_1\"}"), RETENTION);
		flushRedis();

		assertThat(store.claim(key, "fp", LOCK)).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(new String(completed.response().body(), StandardCharsets.UTF_8))
					.isEqualTo("{\"id\":\"pay_1\"}"));
		assertThat(events.backfills).hasValue(1);
		assertThat(redisHas(key)).isTrue();

		int databaseClaims = events.databaseClaims.get();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(events.databaseClaims).as("a back-filled replay does not touch the database")
			.hasValue(databaseClaims);
	}

	@Test
	void aRunningRequestRedisLostIsStillInFlightForEveryRetry() throws Exception {
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		flushRedis();
		List<ClaimResult> retries = concurrently(16, () -> store.claim(key, "fp", LOCK));
		assertThat(retries).allSatisfy((retry) -> assertThat(retry).isInstanceOf(ClaimResult.InFlight.class));
	}

	@Test
	void aDifferentRequestRedisForgotIsStillAMismatch() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "{}"), RETENTION);
		flushRedis();
		assertThat(store.claim(key, "other", LOCK)).isInstanceOf(ClaimResult.Mismatch.class);
	}

	@Test
	void withRedisDownRequestsGoOnWithoutDuplicatesAndRedisIsUsedAgainOnceBack() throws Exception {
		IdempotencyKey before = newKey();
		String beforeToken = acquire(before, "fp", LOCK);
		redisServer.stop();

		List<ClaimResult> racing = concurrently(16, () -> store.claim(newKeyShared(), "fp", LOCK));
		assertThat(racing).filteredOn(ClaimResult.Acquired.class::isInstance).hasSize(1);
		assertThat(store.claim(before, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(store.complete(before, beforeToken, response(201, "during"), RETENTION)).isTrue();
		assertThat(store.claim(before, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(twoLayer.isDegraded()).isTrue();
		assertThat(events.fallbacks.get()).isPositive();

		redisServer.startAgain();
		IdempotencyKey after = newKey();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			int redisClaims = events.redisClaims.get();
			store.claim(newKey(), "fp", LOCK);
			assertThat(events.redisClaims.get()).isGreaterThan(redisClaims);
		});
		String afterToken = acquire(after, "fp", LOCK);
		store.complete(after, afterToken, response(201, "after"), RETENTION);
		assertThat(redisHas(after)).isTrue();
		assertThat(twoLayer.isDegraded()).isFalse();
	}

	private final IdempotencyKey shared = newKey();

	private IdempotencyKey newKeyShared() {
		return shared;
	}

	private static void flushRedis() {
		try (RedisConnection connection = redisConnections.getConnection()) {
			connection.serverCommands().flushAll();
		}
	}

	private static boolean redisHas(IdempotencyKey key) {
		try (RedisConnection connection = redisConnections.getConnection()) {
			return connection.keyCommands()
				.exists((RedisIdempotencyStore.DEFAULT_KEY_PREFIX + "{" + key.digest() + "}")
					.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** Counts what the layers did. */
	static final class Events implements IdempotencyListener {

		final AtomicInteger redisClaims = new AtomicInteger();

		final AtomicInteger databaseClaims = new AtomicInteger();

		final AtomicInteger backfills = new AtomicInteger();

		final AtomicInteger fallbacks = new AtomicInteger();

		@Override
		public void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result, long nanos) {
			if (operation == StoreOperation.CLAIM && result != StoreResult.ERROR) {
				((layer == StoreLayer.REDIS) ? redisClaims : databaseClaims).incrementAndGet();
			}
		}

		@Override
		public void onBackfill(StoreLayer layer) {
			backfills.incrementAndGet();
		}

		@Override
		public void onFallback(StoreLayer layer) {
			fallbacks.incrementAndGet();
		}

	}

}
