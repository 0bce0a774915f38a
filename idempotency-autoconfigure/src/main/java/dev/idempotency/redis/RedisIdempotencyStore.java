package dev.idempotency.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.CacheLayer;
import dev.idempotency.store.LockTokens;
import dev.idempotency.store.StoredResponseCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} on Redis. Each key is one hash, {@code <prefix>{<digest>}},
 * with the request's fingerprint, the owner's lock token while it runs and the response
 * once completed; Redis expires it after the lock timeout or the retention. Every
 * operation is one atomic round trip (a Lua script touching one key), so the store works
 * on Redis 6.2 and later and, the digest being a hash tag, on Redis Cluster. Fencing
 * tokens are Redis' clock ({@code TIME}) in microseconds when the key is acquired: they
 * increase across acquisitions as long as that clock does not step back.
 *
 * <p>
 * Redis failures, including command timeouts, surface as
 * {@link IdempotencyStoreException}; give the connection factory a short command timeout.
 *
 * <p>
 * Scripts go as {@code EVALSHA} with the digest computed once, falling back to
 * {@code EVAL} when Redis does not know the script (after a restart or
 * {@code SCRIPT FLUSH}); with Lettuce, on one native connection the store opens from the
 * factory's client and shares between threads. A command that timed out may still run
 * once Redis answers again.
 *
 * <p>
 * As a {@link CacheLayer} in front of a database, it can also replace whatever a key
 * holds with a completed record, or drop its in-flight marker.
 */
public class RedisIdempotencyStore implements CacheLayer {

	/** The prefix of every key, unless {@link #setKeyPrefix set}. */
	public static final String DEFAULT_KEY_PREFIX = "idempotency:";

	private static final LuaScript CLAIM = LuaScript.load("claim.lua", ReturnType.MULTI);

	private static final LuaScript COMPLETE = LuaScript.load("complete.lua", ReturnType.INTEGER);

	private static final LuaScript RELEASE = LuaScript.load("release.lua", ReturnType.INTEGER);

	private static final LuaScript RENEW = LuaScript.load("renew.lua", ReturnType.INTEGER);

	private static final LuaScript PUT_COMPLETED = LuaScript.load("put_completed.lua", ReturnType.INTEGER);

	private static final LuaScript EVICT_IN_FLIGHT = LuaScript.load("evict_in_flight.lua", ReturnType.INTEGER);

	private static final LuaScript EVICT = LuaScript.load("evict.lua", ReturnType.INTEGER);

	private static final LuaScript FIND = LuaScript.load("find.lua", ReturnType.MULTI);

	private final RedisCommandRunner commands;

	private String keyPrefix = DEFAULT_KEY_PREFIX;

	public RedisIdempotencyStore(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		this.commands = new RedisCommandRunner(connectionFactory);
	}

	/**
	 * Sets the prefix of every key (default {@value #DEFAULT_KEY_PREFIX}), for instance
	 * to keep applications sharing one Redis apart.
	 * @param keyPrefix the prefix
	 */
	public void setKeyPrefix(String keyPrefix) {
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		this.keyPrefix = keyPrefix;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		String token = LockTokens.newToken();
		// Decoded inside the call: an unreadable record is a store failure
		// (the two-layer store then asks the database), never a 500.
		byte[][] keyAndArgs = { redisKey(key), bytes(fingerprint), bytes(token), millis(lockTimeout) };
		return commands.call("claim", (redis) -> claimResult(redis.<List<?>>run(CLAIM, keyAndArgs), token));
	}

	/** The record's remaining time to live the claim script reports; null for none. */
	private static @Nullable Duration retainedFor(List<?> answer) {
		long millis = (answer.size() > 2) ? Long.parseLong(text(answer.get(2))) : -1;
		return (millis >= 0) ? Duration.ofMillis(millis) : null;
	}

	private static @Nullable ClaimResult claimResult(@Nullable List<?> answer, String token) {
		if (answer == null) {
			return null;
		}
		String outcome = text(answer.get(0));
		return switch (outcome) {
			case "acquired" -> new ClaimResult.Acquired(token, Long.parseLong(text(answer.get(1))));
			case "completed" ->
				new ClaimResult.Completed(StoredResponseCodec.decode((byte[]) answer.get(1)), retainedFor(answer));
			case "in_flight" ->
				new ClaimResult.InFlight(Duration.ofMillis(Math.max(1, Long.parseLong(text(answer.get(1))))));
			case "mismatch" -> new ClaimResult.Mismatch();
			default -> throw new IllegalStateException("Unexpected answer from the Redis claim script: " + outcome);
		};
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		byte[][] keyAndArgs = { redisKey(key), bytes(lockToken), StoredResponseCodec.encode(response),
				millis(retention) };
		Long stored = commands.call("complete", (redis) -> redis.<Long>run(COMPLETE, keyAndArgs));
		return stored == 1L;
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		byte[][] keyAndArgs = { redisKey(key), bytes(lockToken) };
		Long released = commands.call("release", (redis) -> redis.<Long>run(RELEASE, keyAndArgs));
		return released == 1L;
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		byte[][] keyAndArgs = { redisKey(key), bytes(lockToken), millis(lockTimeout) };
		Long renewed = commands.call("renew", (redis) -> redis.<Long>run(RENEW, keyAndArgs));
		return renewed == 1L;
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		byte[][] keyAndArgs = { redisKey(key), bytes(fingerprint), StoredResponseCodec.encode(response),
				millis(retention) };
		commands.call("putCompleted", (redis) -> redis.<Long>run(PUT_COMPLETED, keyAndArgs));
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		byte[][] keyAndArgs = { redisKey(key) };
		commands.call("evictInFlight", (redis) -> redis.<Long>run(EVICT_IN_FLIGHT, keyAndArgs));
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		byte[][] keyAndArgs = { redisKey(key) };
		Long evicted = commands.call("evict", (redis) -> redis.<Long>run(EVICT, keyAndArgs));
		return evicted == 1L;
	}

	/**
	 * Reads the record with the time it was acquired (also its fencing token: both are
	 * Redis' clock then) and its expiry, Redis' clock plus its remaining life. A
	 * completed record put here by a two-layer store tells neither time of acquisition
	 * nor fencing token.
	 */
	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		byte[][] keyAndArgs = { redisKey(key) };
		return commands.call("find", (redis) -> record(redis.<List<?>>run(FIND, keyAndArgs)));
	}

	private static @Nullable Optional<IdempotencyRecord> record(@Nullable List<?> answer) {
		if (answer == null) {
			return null;
		}
		if (answer.isEmpty()) {
			return Optional.empty();
		}
		byte[] response = (byte[]) answer.get(1);
		Long acquiredMicros = (answer.get(2) != null) ? Long.valueOf(text(answer.get(2))) : null;
		long remainingMillis = Long.parseLong(text(answer.get(3)));
		Instant now = instant(Long.parseLong(text(answer.get(4))));
		return Optional.of(new IdempotencyRecord(text(answer.get(0)),
				(response != null) ? StoredResponseCodec.decode(response) : null,
				(acquiredMicros != null) ? instant(acquiredMicros) : null,
				(remainingMillis >= 0) ? now.plusMillis(remainingMillis) : null, acquiredMicros));
	}

	private static Instant instant(long epochMicros) {
		return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
	}

	/** The digest is a hash tag: a key's every command goes to one Cluster slot. */
	byte[] redisKey(IdempotencyKey key) {
		return bytes(keyPrefix + "{" + key.digest() + "}");
	}

	private static byte[] millis(Duration duration) {
		return bytes(Long.toString(Math.max(1, duration.toMillis())));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	@Override
	public String toString() {
		return "RedisIdempotencyStore[keyPrefix=" + keyPrefix + "]";
	}

}
