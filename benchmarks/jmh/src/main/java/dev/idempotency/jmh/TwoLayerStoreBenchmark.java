package dev.idempotency.jmh;

import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.store.TwoLayerIdempotencyStore;
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

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link TwoLayerIdempotencyStore}: Redis in front of PostgreSQL. A new key is claimed in
 * both; a replay hit is answered by Redis alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TwoLayerStoreBenchmark {

	private LettuceConnectionFactory factory;

	private HikariDataSource dataSource;

	private TwoLayerIdempotencyStore store;

	private String run;

	private long counter;

	private IdempotencyKey completedKey;

	@Setup(Level.Trial)
	public void setUp() {
		this.factory = Servers.redis();
		this.dataSource = Servers.postgres();
		new JdbcIdempotencySchemaInitializer(this.dataSource, DatabaseInitializationMode.ALWAYS,
				JdbcStoreBenchmark.TABLE)
			.initializeDatabase();
		this.store = new TwoLayerIdempotencyStore(new RedisIdempotencyStore(this.factory),
				new JdbcIdempotencyStore(this.dataSource, JdbcStoreBenchmark.TABLE));
		this.run = "jmh:" + Servers.runId() + ":";
		this.completedKey = new IdempotencyKey("bench", "POST /payments", this.run + "completed");
		ClaimResult.Acquired acquired = (ClaimResult.Acquired) this.store.claim(this.completedKey, Servers.FINGERPRINT,
				Servers.LOCK);
		this.store.complete(this.completedKey, acquired.lockToken(), Servers.RESPONSE, Servers.RETENTION);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		new JdbcTemplate(this.dataSource).execute("DROP TABLE IF EXISTS " + JdbcStoreBenchmark.TABLE);
		this.dataSource.close();
		this.factory.destroy();
	}

	@Benchmark
	public ClaimResult claimNew() {
		return this.store.claim(new IdempotencyKey("bench", "POST /payments", this.run + (this.counter++)),
				Servers.FINGERPRINT, Servers.LOCK);
	}

	@Benchmark
	public ClaimResult claimCompleted() {
		return this.store.claim(this.completedKey, Servers.FINGERPRINT, Servers.LOCK);
	}

}
