package dev.idempotency.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.store.InMemoryIdempotencyStore;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link InMemoryIdempotencyStore}, for reference: what the store logic costs without a
 * round trip.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InMemoryStoreBenchmark {

	/**
	 * Short, so that the default 100,000 entries never fill up with live claims: each
	 * claim purges a few expired ones, as it would in an application.
	 */
	private static final Duration LOCK = Duration.ofMillis(1);

	private InMemoryIdempotencyStore store;

	private long counter;

	@Setup(Level.Trial)
	public void setUp() {
		this.store = new InMemoryIdempotencyStore();
	}

	@Benchmark
	public ClaimResult claimNew() {
		return this.store.claim(new IdempotencyKey("bench", "POST /payments", "key-" + (this.counter++)),
				Servers.FINGERPRINT, LOCK);
	}

}
