package dev.idempotency.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.store.IdempotencyStoreContractTests;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * The store contract against a real Redis (the environment's, Testcontainers' or an
 * embedded one), plus what is particular to Redis: key layout, expiry and timeouts.
 */
class RedisIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private static LettuceConnectionFactory connectionFactory;

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
		RedisIdempotencyStore store = new RedisIdempotencyStore(connectionFactory);
		store.setKeyPrefix("test:idempotency:");
		return store;
	}

	@Test
	void keysAreHashTaggedUnderThePrefixAndExpireWithTheLock() {
		IdempotencyKey key = newKey();
		acquire(key, "fp", Duration.ofSeconds(30));
		byte[] redisKey = ("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().exists(redisKey)).isTrue();
			assertThat(connection.keyCommands().pTtl(redisKey)).isBetween(1L, 30_000L);
		}
	}

	@Test
	void renewalSetsTheExpiryToTheNewLockTimeout() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", Duration.ofSeconds(30));
		assertThat(store.renew(key, token, Duration.ofMinutes(10))).isTrue();
		byte[] redisKey = ("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().pTtl(redisKey)).isGreaterThan(Duration.ofMinutes(9).toMillis());
		}
	}

	@Test
	void completionExtendsTheExpiryToTheRetention() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", Duration.ofSeconds(30));
		store.complete(key, token, response(201, "{}"), Duration.ofHours(2));
		byte[] redisKey = ("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().pTtl(redisKey)).isGreaterThan(Duration.ofMinutes(119).toMillis());
		}
	}

	@Test
	void aKeyLostFromRedisIsFreeAgain() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "{}"), RETENTION);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.keyCommands().del(("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8));
		}
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void scriptsAreLoadedAgainAfterRedisForgotThem() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}
		assertThat(store.complete(key, token, response(201, "{}"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
	}

	@Test
	void aCompletedRecordReplacesAnyoneElsesMarker() {
		RedisIdempotencyStore redis = (RedisIdempotencyStore) store;
		IdempotencyKey key = newKey();
		acquire(key, "other", LOCK);
		redis.putCompleted(key, "fp", response(201, "{}"), RETENTION);
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "{}")));
		byte[] redisKey = ("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().pTtl(redisKey)).isGreaterThan(LOCK.toMillis());
			assertThat(connection.hashCommands().hExists(redisKey, "tok".getBytes(StandardCharsets.UTF_8))).isFalse();
		}
	}

	@Test
	void aCompletedRecordPutByATwoLayerStoreTellsItsExpiryButNotItsAcquisition() {
		RedisIdempotencyStore redis = (RedisIdempotencyStore) store;
		IdempotencyKey key = newKey();
		Instant before = Instant.now();
		redis.putCompleted(key, "fp", response(201, "{}"), RETENTION);
		IdempotencyRecord record = store.find(key).orElseThrow();
		assertThat(record.response()).isEqualTo(response(201, "{}"));
		assertThat(record.createdAt()).isNull();
		assertThat(record.fencingToken()).isNull();
		assertThat(record.expiresAt()).isCloseTo(before.plus(RETENTION), within(Duration.ofSeconds(5)));
	}

	@Test
	void evictingInFlightRemovesAnyoneElsesMarkerButKeepsCompletedRecords() {
		RedisIdempotencyStore redis = (RedisIdempotencyStore) store;
		IdempotencyKey running = newKey();
		acquire(running, "fp", LOCK);
		redis.evictInFlight(running);
		assertThat(store.find(running)).isEmpty();

		IdempotencyKey completed = newKey();
		store.complete(completed, acquire(completed, "fp", LOCK), response(201, "{}"), RETENTION);
		redis.evictInFlight(completed);
		assertThat(store.claim(completed, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "{}")));
	}

	@Test
	void anUnreadableRecordIsAStoreFailureNotACrash() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "{}"), RETENTION);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands()
				.hSet(("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8),
						"res".getBytes(StandardCharsets.UTF_8), new byte[] { 99, 1, 2 });
		}
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> store.claim(key, "fp", LOCK));
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> store.find(key));
	}

	@Test
	void aCraftedBodyLengthIsAStoreFailureNotAnAllocation() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		store.complete(key, token, response(201, "{}"), RETENTION);
		byte[] crafted = { 1, 0, (byte) 201, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff };
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands()
				.hSet(("test:idempotency:{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8),
						"res".getBytes(StandardCharsets.UTF_8), crafted);
		}
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> store.claim(key, "fp", LOCK));
	}

	@Test
	void anUnreachableRedisFailsFastWithAStoreException() {
		LettuceConnectionFactory nowhere = RedisStoreConnections.forUrl("redis://127.0.0.1:1", Duration.ofMillis(300));
		nowhere.start();
		try {
			IdempotencyStore unreachable = new RedisIdempotencyStore(nowhere);
			long start = System.nanoTime();
			assertThatExceptionOfType(IdempotencyStoreException.class)
				.isThrownBy(() -> unreachable.claim(newKey(), "fp", LOCK))
				.withMessageContaining("Redis claim failed");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		}
		finally {
			nowhere.destroy();
		}
	}

}
