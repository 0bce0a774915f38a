package dev.idempotency.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.CacheLayer;
import dev.idempotency.store.LockTokens;
import dev.idempotency.store.StoredResponseCodec;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

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
 *
 * <p>
 * Scripts go as {@code EVALSHA} with the digest computed once, falling back to
 * {@code EVAL} when Redis does not know the script (after a restart or
 * {@code SCRIPT FLUSH}). With a {@link LettuceConnectionFactory} the store sends them on
 * a native Lettuce connection of its own, opened from the factory's client (so with its
 * URI, database, timeout, SSL and client options) on first use and shared by all threads,
 * as Lettuce connections are thread-safe; other factories get a connection per call.
 * Neither {@code RedisTemplate} nor a {@code RedisConnection} per call: profiles under
 * load found, for every operation, a JDK proxy of the connection, a lock all threads
 * share to read a script's digest, another in the factory to hand out its shared
 * connection, and commons-logging's synchronized logger lookup in the connection's
 * constructor (threads were blocked there for 22 s of a 48 s run). A command that timed
 * out may still run once Redis answers again.
 *
 * <p>
 * As a {@link CacheLayer} in front of a database, it can also replace whatever a key
 * holds with a completed record, or drop its in-flight marker.
 */
public class RedisIdempotencyStore implements CacheLayer {

	/** The prefix of every key, unless {@link #setKeyPrefix set}. */
	public static final String DEFAULT_KEY_PREFIX = "idempotency:";

	private static final Script CLAIM = Script.load("claim.lua", ReturnType.MULTI);

	private static final Script COMPLETE = Script.load("complete.lua", ReturnType.INTEGER);

	private static final Script RELEASE = Script.load("release.lua", ReturnType.INTEGER);

	private static final byte[] FINGERPRINT_FIELD = bytes("fp");

	private static final Script PUT_COMPLETED = Script.load("put_completed.lua", ReturnType.INTEGER);

	private static final Script EVICT_IN_FLIGHT = Script.load("evict_in_flight.lua", ReturnType.INTEGER);

	private static final byte[] RESPONSE_FIELD = bytes("res");

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisIdempotencyStore.class.getClassLoader());

	private final RedisConnectionFactory connectionFactory;

	/** Whether the factory is Lettuce's, so that the store opens a native connection. */
	private final boolean lettuce;

	private final Object connecting = new Object();

	private volatile @Nullable NativeConnection nativeConnection;

	private String keyPrefix = DEFAULT_KEY_PREFIX;

	public RedisIdempotencyStore(RedisConnectionFactory connectionFactory) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		this.connectionFactory = connectionFactory;
		this.lettuce = LETTUCE_PRESENT && NativeConnection.supports(connectionFactory);
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
		return call("claim", (redis) -> claimResult(redis.<List<?>>run(CLAIM, keyAndArgs), token));
	}

	private static @Nullable ClaimResult claimResult(@Nullable List<?> answer, String token) {
		if (answer == null) {
			return null;
		}
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
		byte[][] keyAndArgs = { redisKey(key), bytes(lockToken), StoredResponseCodec.encode(response),
				millis(retention) };
		Long stored = call("complete", (redis) -> redis.<Long>run(COMPLETE, keyAndArgs));
		return stored == 1L;
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		byte[][] keyAndArgs = { redisKey(key), bytes(lockToken) };
		Long released = call("release", (redis) -> redis.<Long>run(RELEASE, keyAndArgs));
		return released == 1L;
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		byte[][] keyAndArgs = { redisKey(key), bytes(fingerprint), StoredResponseCodec.encode(response),
				millis(retention) };
		call("putCompleted", (redis) -> redis.<Long>run(PUT_COMPLETED, keyAndArgs));
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		byte[][] keyAndArgs = { redisKey(key) };
		call("evictInFlight", (redis) -> redis.<Long>run(EVICT_IN_FLIGHT, keyAndArgs));
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		byte[] redisKey = redisKey(key);
		return call("find", (redis) -> record(redis.hmget(redisKey, FINGERPRINT_FIELD, RESPONSE_FIELD)));
	}

	private static @Nullable Optional<IdempotencyRecord> record(@Nullable List<byte @Nullable []> fields) {
		if (fields == null) {
			return null;
		}
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

	/**
	 * Runs one operation: on the native connection with Lettuce, else on a connection
	 * from the factory, closed after.
	 */
	private <T> T call(String operation, Function<Commands, @Nullable T> call) {
		T answer;
		try {
			NativeConnection shared = nativeConnection();
			if (shared != null) {
				answer = call.apply(shared);
			}
			else {
				try (RedisConnection connection = connectionFactory.getConnection()) {
					answer = call.apply(new SpringCommands(connection));
				}
			}
		}
		catch (RuntimeException ex) {
			throw new IdempotencyStoreException("Redis " + operation + " failed: " + ex.getMessage(), ex);
		}
		if (answer == null) {
			throw new IdempotencyStoreException("Redis " + operation + " returned nothing (pipeline or transaction?)");
		}
		return answer;
	}

	/**
	 * The store's native connection, opened from the factory's current client on first
	 * use, and again when the factory was restarted with a new client. A failed connect
	 * fails this call only; the next one tries again.
	 */
	private @Nullable NativeConnection nativeConnection() {
		if (!lettuce) {
			return null;
		}
		AbstractRedisClient client = ((LettuceConnectionFactory) connectionFactory).getNativeClient();
		NativeConnection current = nativeConnection;
		if (current != null && current.client() == client) {
			return current;
		}
		synchronized (connecting) {
			current = nativeConnection;
			if (current == null || current.client() != client) {
				current = NativeConnection.open(client);
				nativeConnection = current;
			}
			return current;
		}
	}

	/** What an operation needs of Redis. */
	private interface Commands {

		/** {@code EVALSHA}, then {@code EVAL} if Redis does not have the script. */
		<T> @Nullable T run(Script script, byte[][] keyAndArgs);

		@Nullable List<byte @Nullable []> hmget(byte[] key, byte[]... fields);

	}

	/** A thread-safe Lettuce connection, standalone (or sentinel) or cluster. */
	private record NativeConnection(AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
			RedisScriptingCommands<byte[], byte[]> scripting,
			RedisHashCommands<byte[], byte[]> hashes) implements Commands {

		static boolean supports(RedisConnectionFactory connectionFactory) {
			return connectionFactory instanceof LettuceConnectionFactory;
		}

		static NativeConnection open(AbstractRedisClient client) {
			if (client instanceof RedisClusterClient cluster) {
				StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
				return new NativeConnection(client, connection, connection.sync(), connection.sync());
			}
			if (client instanceof RedisClient standalone) {
				StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
				return new NativeConnection(client, connection, connection.sync(), connection.sync());
			}
			throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
		}

		@Override
		public <T> @Nullable T run(Script script, byte[][] keyAndArgs) {
			byte[][] keys = { keyAndArgs[0] };
			byte[][] args = Arrays.copyOfRange(keyAndArgs, 1, keyAndArgs.length);
			ScriptOutputType output = (script.returnType() == ReturnType.MULTI) ? ScriptOutputType.MULTI
					: ScriptOutputType.INTEGER;
			try {
				return scripting.evalsha(script.sha1(), output, keys, args);
			}
			catch (RedisNoScriptException ex) {
				return scripting.eval(script.text(), output, keys, args);
			}
		}

		@Override
		public List<byte @Nullable []> hmget(byte[] key, byte[]... fields) {
			List<byte @Nullable []> values = new ArrayList<>(fields.length);
			for (KeyValue<byte[], byte[]> value : hashes.hmget(key, fields)) {
				values.add(value.hasValue() ? value.getValue() : null);
			}
			return values;
		}

	}

	/** Any other factory's connection, one per call. */
	private record SpringCommands(RedisConnection connection) implements Commands {

		@Override
		public <T> @Nullable T run(Script script, byte[][] keyAndArgs) {
			return script.run(connection, keyAndArgs);
		}

		@Override
		public @Nullable List<byte @Nullable []> hmget(byte[] key, byte[]... fields) {
			return connection.hashCommands().hMGet(key, fields);
		}

	}

	/**
	 * A Lua script, read once with its SHA-1 computed once.
	 *
	 * @param text the script
	 * @param sha1 its SHA-1 digest in hex, as {@code EVALSHA} takes it
	 * @param returnType how Redis answers
	 */
	private record Script(byte[] text, String sha1, ReturnType returnType) {

		static Script load(String name, ReturnType returnType) {
			try {
				byte[] text = new ClassPathResource(name, RedisIdempotencyStore.class).getContentAsByteArray();
				String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
				return new Script(text, sha1, returnType);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the Redis script " + name, ex);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-1 is required of every JVM", ex);
			}
		}

		/** {@code EVALSHA}, then {@code EVAL} if Redis does not have the script. */
		<T> @Nullable T run(RedisConnection connection, byte[][] keyAndArgs) {
			try {
				return connection.scriptingCommands().evalSha(sha1, returnType, 1, keyAndArgs);
			}
			catch (RuntimeException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				return connection.scriptingCommands().eval(text, returnType, 1, keyAndArgs);
			}
		}

		private static boolean isNoScript(Throwable ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				String message = cause.getMessage();
				if (message != null && message.contains("NOSCRIPT")) {
					return true;
				}
				if (cause.getCause() == cause) {
					break;
				}
			}
			return false;
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
