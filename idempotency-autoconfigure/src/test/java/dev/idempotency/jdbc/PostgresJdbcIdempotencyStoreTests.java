package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The JDBC store on a real PostgreSQL server ({@link TestServers#postgres()}).
 */
class PostgresJdbcIdempotencyStoreTests extends AbstractJdbcIdempotencyStoreTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		JdbcServer server = TestServers.postgres();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
		dataSource.setUsername(server.username());
		dataSource.setPassword(server.password());
		dataSource.setMaximumPoolSize(40);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Override
	protected DataSource dataSource() {
		return dataSource;
	}

	@Override
	protected String schemaPlatform() {
		return "postgresql";
	}

	@Test
	void thirtyTwoConcurrentClaimsOfAFreeKeyHaveExactlyOneWinner() throws Exception {
		List<ClaimResult> results = claimAtOnce(32, newKey(), "fp");
		assertThat(results).filteredOn(ClaimResult.Acquired.class::isInstance).hasSize(1);
		assertThat(results).filteredOn(ClaimResult.InFlight.class::isInstance).hasSize(31);
	}

	@Test
	void schemaQualifiedTableIsCreatedAndUsed() {
		String schema = "idem_schema_" + Long.toHexString(System.nanoTime());
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("CREATE SCHEMA " + schema);
		try {
			String qualified = schema + ".keys";
			assertThat(createSchema(qualified)).isTrue();
			assertThat(createSchema(qualified)).isTrue();
			JdbcIdempotencyStore qualifiedStore = new JdbcIdempotencyStore(dataSource, qualified);
			IdempotencyKey key = newKey();
			String token = ((ClaimResult.Acquired) qualifiedStore.claim(key, "fp", LOCK)).lockToken();
			assertThat(qualifiedStore.complete(key, token, response(201, "done"), RETENTION)).isTrue();
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = ? AND indexname = ?",
					Integer.class, schema, "keys_expires_at_idx"))
				.isEqualTo(1);
		}
		finally {
			jdbc.execute("DROP SCHEMA " + schema + " CASCADE");
		}
	}

	@Test
	void unreachableDatabaseFailsFastWithAStoreException() {
		DriverManagerDataSource unreachable = new DriverManagerDataSource(
				"jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2&loginTimeout=2", "postgres", "postgres");
		JdbcIdempotencyStore down = new JdbcIdempotencyStore(unreachable);
		IdempotencyKey key = newKey();
		long started = System.nanoTime();
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> down.claim(key, "fp", LOCK));
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> down.find(key));
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> down.complete(key, "token", response(200, "x"), RETENTION));
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> down.release(key, "token"));
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> down.deleteExpired(10));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void databaseThatFailsAfterStartupFailsWithAStoreException() {
		HikariDataSource doomed = new HikariDataSource();
		doomed.setJdbcUrl(dataSource.getJdbcUrl());
		doomed.setUsername(dataSource.getUsername());
		doomed.setPassword(dataSource.getPassword());
		JdbcIdempotencyStore failing = new JdbcIdempotencyStore(doomed, table);
		IdempotencyKey key = newKey();
		assertThat(failing.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
		doomed.close();
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> failing.claim(key, "fp", LOCK))
			.withMessageContaining(table);
	}

}
