package dev.idempotency.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.LeaseKeeper;
import dev.idempotency.engine.OperationPolicy;
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

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What leases cost, on the real Redis store: a new key's claim and completion through the
 * engine (which registers the operation's lease and ends it) beside the same two store
 * calls made directly, so any cost per request shows as a difference; and one renewal
 * beside a raw round trip ({@code PEXPIRE}), the one round trip an operation pays per
 * interval once it outlives a third of its lock timeout.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LeaseBenchmark {

	private static final OperationPolicy POLICY = new OperationPolicy(Servers.LOCK, Servers.RETENTION, false,
			Duration.ZERO);

	private LettuceConnectionFactory connectionFactory;

	private RedisIdempotencyStore store;

	private LeaseKeeper leases;

	private IdempotencyEngine engine;

	private String run;

	private long counter;

	private IdempotencyKey renewedKey;

	private String renewedToken;

	private byte[] rawKey;

	@Setup(Level.Trial)
	public void setUp() {
		this.connectionFactory = Servers.redis();
		this.store = new RedisIdempotencyStore(this.connectionFactory);
		this.store.setKeyPrefix("jmh:lease:");
		this.leases = new LeaseKeeper(this.store, IdempotencyListener.NONE);
		this.engine = new IdempotencyEngine(this.store, IdempotencyListener.NONE, this.leases);
		this.run = Servers.runId();
		this.renewedKey = key("renewed");
		this.renewedToken = ((ClaimResult.Acquired) this.store.claim(this.renewedKey, Servers.FINGERPRINT,
				Duration.ofHours(1)))
			.lockToken();
		this.rawKey = (this.run + "raw-renew").getBytes();
		try (var connection = this.connectionFactory.getConnection()) {
			connection.stringCommands().set(this.rawKey, new byte[] { 1 });
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.leases.close();
		this.connectionFactory.destroy();
	}

	/** The engine: claim, lease registered, complete, lease ended. */
	@Benchmark
	public Object engineNewKey() {
		Claim claim = this.engine.claim(new IdempotentOperation(key("new"), Servers.FINGERPRINT, "bench", POLICY));
		return ((Claim.Run) claim).operation().complete(Servers.RESPONSE);
	}

	/** The same two store calls without the engine: no lease. */
	@Benchmark
	public boolean storeNewKey() {
		IdempotencyKey key = key("new");
		String token = ((ClaimResult.Acquired) this.store.claim(key, Servers.FINGERPRINT, Servers.LOCK)).lockToken();
		return this.store.complete(key, token, Servers.RESPONSE, Servers.RETENTION);
	}

	/** One renewal, as the lease thread makes it once per interval. */
	@Benchmark
	public boolean renew() {
		return this.store.renew(this.renewedKey, this.renewedToken, Duration.ofHours(1));
	}

	/** The round trip a renewal is built on. */
	@Benchmark
	public Boolean rawPexpire() {
		try (var connection = this.connectionFactory.getConnection()) {
			return connection.keyCommands().pExpire(this.rawKey, 3_600_000);
		}
	}

	private IdempotencyKey key(String kind) {
		return new IdempotencyKey("bench", "POST /payments", this.run + kind + (this.counter++));
	}

}
