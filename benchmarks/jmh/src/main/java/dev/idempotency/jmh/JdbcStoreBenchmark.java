package dev.idempotency.jmh;

import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link JdbcIdempotencyStore} on PostgreSQL beside bare auto-commit {@link JdbcTemplate}
 * calls through the same Hikari pool: the very statements the store sends, on its table
 * (what the store adds in Java), and minimal statements on a scratch table with a primary
 * key alone (what the store's row and index cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JdbcStoreBenchmark {

	static final String TABLE = "idempotency_keys_jmh";

	private static final String SCRATCH = "idempotency_jmh_scratch";

	// The store's PostgreSQL statements (PostgresStatements), with positional parameters.
	private static final String INSERT = "INSERT INTO " + TABLE
			+ " (key_digest, scope, endpoint, idempotency_key, fingerprint, lock_token, response, expires_at,"
			+ " created_at, fencing_token) VALUES (?, ?, ?, ?, ?, ?, NULL, now() + ? * INTERVAL '1 millisecond', now(),"
			+ " CAST(EXTRACT(EPOCH FROM now()) * 1000000 AS BIGINT)) ON CONFLICT (key_digest) DO NOTHING"
			+ " RETURNING fencing_token";

	private static final String SELECT_LIVE = "SELECT fingerprint, response,"
			+ " CAST(CEIL(EXTRACT(EPOCH FROM (expires_at - now())) * 1000) AS BIGINT) AS remaining_millis FROM " + TABLE
			+ " WHERE key_digest = ? AND expires_at > now()";

	private static final String COMPLETE = "UPDATE " + TABLE
			+ " SET response = ?, lock_token = NULL, expires_at = now() + ? * INTERVAL '1 millisecond'"
			+ " WHERE key_digest = ? AND lock_token = ? AND expires_at > now()";

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	JdbcIdempotencyStore store;

	private String run;

	private long counter;

	private IdempotencyKey completedKey;

	private String rawKey;

	private byte[] payload;

	@Setup(Level.Trial)
	public void setUp() {
		this.dataSource = Servers.postgres();
		this.jdbc = new JdbcTemplate(this.dataSource);
		new JdbcIdempotencySchemaInitializer(this.dataSource, DatabaseInitializationMode.ALWAYS, TABLE)
			.initializeDatabase();
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS " + SCRATCH
				+ " (k VARCHAR(255) PRIMARY KEY, v BYTEA, expires_at TIMESTAMP WITH TIME ZONE NOT NULL)");
		this.jdbc.execute("TRUNCATE " + SCRATCH);
		this.jdbc.execute("TRUNCATE " + TABLE);
		this.store = new JdbcIdempotencyStore(this.dataSource, TABLE);
		this.run = "jmh:" + Servers.runId() + ":";
		this.completedKey = new IdempotencyKey("bench", "POST /payments", this.run + "completed");
		ClaimResult.Acquired acquired = (ClaimResult.Acquired) this.store.claim(this.completedKey, Servers.FINGERPRINT,
				Servers.LOCK);
		this.store.complete(this.completedKey, acquired.lockToken(), Servers.RESPONSE, Servers.RETENTION);
		this.payload = new byte[Servers.RESPONSE.bodyLength() + 128];
		this.rawKey = this.run + "raw-row";
		this.jdbc.update("INSERT INTO " + SCRATCH + " (k, v, expires_at) VALUES (?, ?, now() + INTERVAL '10 minutes')",
				this.rawKey, this.payload);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.jdbc.execute("DROP TABLE IF EXISTS " + SCRATCH);
		this.jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
		this.dataSource.close();
	}

	IdempotencyKey newKey() {
		return new IdempotencyKey("bench", "POST /payments", this.run + (this.counter++));
	}

	@Benchmark
	public ClaimResult claimNew() {
		return this.store.claim(newKey(), Servers.FINGERPRINT, Servers.LOCK);
	}

	/** One auto-commit {@code INSERT ... ON CONFLICT DO NOTHING}. */
	@Benchmark
	public int claimNewRaw() {
		return this.jdbc.update(
				"INSERT INTO " + SCRATCH
						+ " (k, v, expires_at) VALUES (?, NULL, now() + INTERVAL '30 seconds') ON CONFLICT DO NOTHING",
				this.run + "raw:" + (this.counter++));
	}

	/** The store's own insert, on its table. */
	@Benchmark
	public int claimNewSameSql() {
		return this.jdbc
			.queryForList(INSERT, Long.class, this.run + "same:" + (this.counter++), "bench", "POST /payments", "k",
					Servers.FINGERPRINT, "token", Servers.LOCK.toMillis())
			.size();
	}

	@Benchmark
	public ClaimResult claimCompleted() {
		return this.store.claim(this.completedKey, Servers.FINGERPRINT, Servers.LOCK);
	}

	/** One auto-commit single-row {@code SELECT} of a stored response. */
	@Benchmark
	public byte[] claimCompletedRaw() {
		return this.jdbc.queryForObject("SELECT v FROM " + SCRATCH + " WHERE k = ? AND expires_at > now()",
				byte[].class, this.rawKey);
	}

	/** The store's own two statements for a replay: the insert attempt, then the read. */
	@Benchmark
	public byte[] claimCompletedSameSql() {
		String digest = this.completedKey.digest();
		this.jdbc.queryForList(INSERT, Long.class, digest, "bench", "POST /payments", "k", Servers.FINGERPRINT, "token",
				Servers.LOCK.toMillis());
		return this.jdbc.queryForObject(SELECT_LIVE, (rs, row) -> rs.getBytes("response"), digest);
	}

	@Benchmark
	public boolean complete(Claimed claimed) {
		return this.store.complete(claimed.key, claimed.token, Servers.RESPONSE, Servers.RETENTION);
	}

	/** One auto-commit single-row {@code UPDATE} storing a response-sized value. */
	@Benchmark
	public int completeRaw() {
		return this.jdbc.update(
				"UPDATE " + SCRATCH + " SET v = ?, expires_at = now() + INTERVAL '10 minutes' WHERE k = ?",
				this.payload, this.rawKey);
	}

	/** The store's own update, on its table. */
	@Benchmark
	public int completeSameSql(Claimed claimed) {
		return this.jdbc.update(COMPLETE, this.payload, Servers.RETENTION.toMillis(), claimed.key.digest(),
				claimed.token);
	}

	/** A key claimed before each invocation (outside the measurement) for complete. */
	@State(Scope.Thread)
	public static class Claimed {

		IdempotencyKey key;

		String token;

		@Setup(Level.Invocation)
		public void claim(JdbcStoreBenchmark benchmark) {
			this.key = benchmark.newKey();
			this.token = ((ClaimResult.Acquired) benchmark.store.claim(this.key, Servers.FINGERPRINT, Servers.LOCK))
				.lockToken();
		}

	}

}
