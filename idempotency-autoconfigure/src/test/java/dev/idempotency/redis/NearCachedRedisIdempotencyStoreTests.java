package dev.idempotency.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.store.IdempotencyStoreContractTests;
import dev.idempotency.store.ListeningIdempotencyStore;
import dev.idempotency.store.NearCachedIdempotencyStore;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store contract through the near cache in front of a real Redis, and that its hits
 * never reach Redis: the Redis store is wrapped in a {@link ListeningIdempotencyStore}
 * whose events count the claims that reach it.
 */
class NearCachedRedisIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private static final String PREFIX = "test:near:";

	private static LettuceConnectionFactory connectionFactory;

	private final AtomicInteger redisClaims = new AtomicInteger();

	@BeforeAll
	static void connect() {
		connectionFactory = RedisStoreConnections.forUrl(TestServers.redisUrl(), Duration.ofSeconds(2));
		connectionFactory.start();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected IdempotencyStore createStore() {
		RedisIdempotencyStore redis = new RedisIdempotencyStore(connectionFactory);
		redis.setKeyPrefix(PREFIX);
		return new NearCachedIdempotencyStore(
				new ListeningIdempotencyStore(redis, IdempotencyListener.StoreLayer.REDIS, new IdempotencyListener() {

					@Override
					public void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result,
							long nanos) {
						if (operation == StoreOperation.CLAIM) {
							redisClaims.incrementAndGet();
						}
					}

				}));
	}

	@Test
	void replaysWithoutARedisRoundTrip() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "{\"id\":7}"), RETENTION);
		for (int i = 0; i < 5; i++) {
			assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "{\"id\":7}")));
		}
		assertThat(redisClaims).as("the claim and the first retry").hasValue(2);
		assertThat(store.claim(key, "other", LOCK)).isInstanceOf(ClaimResult.Mismatch.class);
		assertThat(redisClaims).hasValue(3);
	}

	@Test
	void keepsAResponseCompletedByAnotherInstance() {
		IdempotencyKey key = newKey();
		RedisIdempotencyStore elsewhere = new RedisIdempotencyStore(connectionFactory);
		elsewhere.setKeyPrefix(PREFIX);
		String token = ((ClaimResult.Acquired) elsewhere.claim(key, "fp", LOCK)).lockToken();
		elsewhere.complete(key, token, response(200, "elsewhere"), RETENTION);

		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(redisClaims).hasValue(1);
	}

	@Test
	void evictionRemovesTheResponseHereAndInRedis() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "done"), RETENTION);
		assertThat(store.claim(key, "fp", LOCK)).as("the first retry, kept").isInstanceOf(ClaimResult.Completed.class);
		assertThat(store.evict(key)).isTrue();
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().exists(redisKey(key))).isFalse();
		}
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void replaysAResponseRemovedFromRedisElsewhereOnlyUntilItsTimeToLive() {
		((NearCachedIdempotencyStore) store).setTimeToLive(SHORT);
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "done"), RETENTION);
		assertThat(store.claim(key, "fp", LOCK)).as("the first retry, kept").isInstanceOf(ClaimResult.Completed.class);
		// Another instance's operator evicted it: only Redis knows.
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().del(redisKey(key))).isOne();
		}
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> store.claim(key, "fp", LOCK) instanceof ClaimResult.Acquired);
	}

	private static byte[] redisKey(IdempotencyKey key) {
		return (PREFIX + "{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8);
	}

}
