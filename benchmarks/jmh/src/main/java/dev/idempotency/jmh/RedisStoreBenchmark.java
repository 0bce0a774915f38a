package dev.idempotency.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.redis.RedisIdempotencyStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.types.Expiration;

/**
 * {@link RedisIdempotencyStore} beside the bare Lettuce commands it needs, on the same
 * connection factory (and so the same shared native connection). Each raw call takes a
 * {@link RedisConnection} from the factory and closes it, as {@code RedisTemplate} does
 * for each store call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RedisStoreBenchmark {

	private static final byte[] VALUE = "1".getBytes(StandardCharsets.UTF_8);

	private static final byte[] RES = "res".getBytes(StandardCharsets.UTF_8);

	private static final String HGET_SCRIPT = "return redis.call('HGET', KEYS[1], 'res')";

	private static final String HSET_SCRIPT = "redis.call('HSET', KEYS[1], 'res', ARGV[1]) return 1";

	private LettuceConnectionFactory factory;

	RedisIdempotencyStore store;

	private String run;

	private long counter;

	private IdempotencyKey completedKey;

	private byte[] rawHashKey;

	private byte[] payload;

	private String hgetSha;

	private String hsetSha;

	@Setup(Level.Trial)
	public void setUp() {
		this.factory = Servers.redis();
		this.store = new RedisIdempotencyStore(this.factory);
		this.run = "jmh:" + Servers.runId() + ":";
		this.completedKey = new IdempotencyKey("bench", "POST /payments", this.run + "completed");
		ClaimResult.Acquired acquired = (ClaimResult.Acquired) this.store.claim(this.completedKey, Servers.FINGERPRINT,
				Servers.LOCK);
		this.store.complete(this.completedKey, acquired.lockToken(), Servers.RESPONSE, Servers.RETENTION);
		// The raw hash holds a payload of the size the store keeps for the response.
		this.payload = new byte[Servers.RESPONSE.bodyLength() + 128];
		this.rawHashKey = bytes(this.run + "raw-hash");
		try (RedisConnection connection = this.factory.getConnection()) {
			connection.hashCommands().hSet(this.rawHashKey, RES, this.payload);
			connection.keyCommands().pExpire(this.rawHashKey, Servers.RETENTION.toMillis());
			this.hgetSha = connection.scriptingCommands().scriptLoad(bytes(HGET_SCRIPT));
			this.hsetSha = connection.scriptingCommands().scriptLoad(bytes(HSET_SCRIPT));
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.factory.destroy();
	}

	IdempotencyKey newKey() {
		return new IdempotencyKey("bench", "POST /payments", this.run + (this.counter++));
	}

	@Benchmark
	public ClaimResult claimNew() {
		return this.store.claim(newKey(), Servers.FINGERPRINT, Servers.LOCK);
	}

	/** {@code SET k v NX PX 30000}: the least a claim of a new key needs. */
	@Benchmark
	public Boolean claimNewRaw() {
		try (RedisConnection connection = this.factory.getConnection()) {
			return connection.stringCommands()
				.set(bytes(this.run + "raw:" + (this.counter++)), VALUE, Expiration.milliseconds(30_000),
						SetOption.ifAbsent());
		}
	}

	@Benchmark
	public ClaimResult claimCompleted() {
		return this.store.claim(this.completedKey, Servers.FINGERPRINT, Servers.LOCK);
	}

	/** {@code HGET} of a stored response: the least a replay hit needs. */
	@Benchmark
	public byte[] claimCompletedRawHget() {
		try (RedisConnection connection = this.factory.getConnection()) {
			return connection.hashCommands().hGet(this.rawHashKey, RES);
		}
	}

	/** {@code EVALSHA} of a script that only does that {@code HGET}. */
	@Benchmark
	public byte[] claimCompletedRaw() {
		try (RedisConnection connection = this.factory.getConnection()) {
			return connection.scriptingCommands().evalSha(this.hgetSha, ReturnType.VALUE, 1, this.rawHashKey);
		}
	}

	@Benchmark
	public boolean complete(Claimed claimed) {
		return this.store.complete(claimed.key, claimed.token, Servers.RESPONSE, Servers.RETENTION);
	}

	/** {@code EVALSHA} of a script that stores a response-sized field. */
	@Benchmark
	public Long completeRaw() {
		try (RedisConnection connection = this.factory.getConnection()) {
			return connection.scriptingCommands()
				.evalSha(this.hsetSha, ReturnType.INTEGER, 1, this.rawHashKey, this.payload);
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** A key claimed before each invocation (outside the measurement) for complete. */
	@State(Scope.Thread)
	public static class Claimed {

		IdempotencyKey key;

		String token;

		@Setup(Level.Invocation)
		public void claim(RedisStoreBenchmark benchmark) {
			this.key = benchmark.newKey();
			this.token = ((ClaimResult.Acquired) benchmark.store.claim(this.key, Servers.FINGERPRINT, Servers.LOCK))
				.lockToken();
		}

	}

}
