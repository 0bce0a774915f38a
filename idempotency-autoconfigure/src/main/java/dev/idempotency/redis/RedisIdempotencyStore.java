package dev.idempotency.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.CacheLayer;
import dev.idempotency.store.LockTokens;
import dev.idempotency.store.StoredResponseCodec;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} on Redis. Each key is one hash, {@code <prefix>{<digest>}},
 * with the request's fingerprint, the owner's lock token while it runs and the response
 * once completed; Redis expires it after the lock timeout or the retention. Every
 * operation is one atomic round trip (a Lua script touching one key), so the store works
 * on Redis 6.2 and later and, the digest being a hash tag, on Redis Cluster.
 *
 * <p>
 * Redis failures, including command timeouts, surface as
 * {@link IdempotencyStoreException}; give the connection factory a short command timeout.
 * A command that timed out may still run once Redis answers again.
 *
 * <p>
 * As a {@link CacheLayer} in front of a database, it can also replace whatever a key
 * holds with a completed record, or drop its in-flight marker.
 */
@SuppressWarnings("rawtypes")
public class RedisIdempotencyStore implements CacheLayer {

	/** The prefix of every key, unless {@link #setKeyPrefix set}. */
	public static final String DEFAULT_KEY_PREFIX = "idempotency:";

	private static final RedisScript<List> CLAIM = script("claim.lua", List.class);

	private static final RedisScript<Long> COMPLETE = script("complete.lua", Long.class);

	private static final RedisScript<Long> RELEASE = script("release.lua", Long.class);

	private static final RedisScript<Long> PUT_COMPLETED = script("put_completed.lua", Long.class);

	private static final RedisScript<Long> EVICT_IN_FLIGHT = script("evict_in_flight.lua", Long.class);

	private static final List<byte[]> RECORD_FIELDS = List.of(bytes("fp"), bytes("res"));

	private final RedisTemplate<byte[], byte[]> redis;

	private String keyPrefix = DEFAULT_KEY_PREFIX;

	public RedisIdempotencyStore(RedisConnectionFactory connectionFactory) {
		this.redis = new RedisTemplate<>();
		this.redis.setConnectionFactory(connectionFactory);
		this.redis.setDefaultSerializer(RedisSerializer.byteArray());
		this.redis.afterPropertiesSet();
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
		return call("claim", () -> claimResult(
				redis.execute(CLAIM, List.of(redisKey(key)), bytes(fingerprint), bytes(token), millis(lockTimeout)),
				token));
	}

	private static ClaimResult claimResult(List<?> answer, String token) {
		String outcome = text(answer.get(0));
		return switch (outcome) {
			case "acquired" -> new ClaimResult.Acquired(token);
			case "completed" -> new ClaimResult.Completed(StoredResponseCodec.decode((byte[]) answer.get(1)));
			case "in_flight" ->
				new ClaimResult.InFlight(Duration.ofMillis(Math.max(1, Long.parseLong(text(answer.get(1))))));
			case "mismatch" -> new ClaimResult.Mismatch();
			default -> throw new IllegalStateException("Unexpected answer from the Redis claim script: " + outcome);
		};
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		Long stored = call("complete", () -> redis.execute(COMPLETE, List.of(redisKey(key)), bytes(lockToken),
				StoredResponseCodec.encode(response), millis(retention)));
		return stored == 1L;
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		Long released = call("release", () -> redis.execute(RELEASE, List.of(redisKey(key)), bytes(lockToken)));
		return released == 1L;
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		call("putCompleted", () -> redis.execute(PUT_COMPLETED, List.of(redisKey(key)), bytes(fingerprint),
				StoredResponseCodec.encode(response), millis(retention)));
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		call("evictInFlight", () -> redis.execute(EVICT_IN_FLIGHT, List.of(redisKey(key))));
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return call("find", () -> record(redis.<byte[], byte[]>opsForHash().multiGet(redisKey(key), RECORD_FIELDS)));
	}

	private static Optional<IdempotencyRecord> record(List<byte[]> fields) {
		if (fields.get(0) == null) {
			return Optional.empty();
		}
		byte[] response = fields.get(1);
		return Optional.of(new IdempotencyRecord(text(fields.get(0)),
				(response != null) ? StoredResponseCodec.decode(response) : null));
	}

	/** The digest is a hash tag: a key's every command goes to one Cluster slot. */
	byte[] redisKey(IdempotencyKey key) {
		return bytes(keyPrefix + "{" + key.digest() + "}");
	}

	private static <T> T call(String operation, Supplier<T> call) {
		T answer;
		try {
			answer = call.get();
		}
		catch (RuntimeException ex) {
			throw new IdempotencyStoreException("Redis " + operation + " failed: " + ex.getMessage(), ex);
		}
		if (answer == null) {
			throw new IdempotencyStoreException("Redis " + operation + " returned nothing (pipeline or transaction?)");
		}
		return answer;
	}

	/** Read once: a script on a resource is re-checked for changes on every call. */
	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		try {
			String text = new ClassPathResource(name, RedisIdempotencyStore.class)
				.getContentAsString(StandardCharsets.UTF_8);
			return RedisScript.of(text, resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Redis script " + name, ex);
		}
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
