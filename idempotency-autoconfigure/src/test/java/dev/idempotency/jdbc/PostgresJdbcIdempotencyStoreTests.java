package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store contract on PostgreSQL, plus the guarantees particular to a database: one
 * winner among 32 concurrent claims, fenced takeover, batched cleanup, own transactions.
 */
class PostgresJdbcIdempotencyStoreTests extends JdbcIdempotencyStoreContractTests {

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

	@Test
	void thirtyTwoConcurrentClaimsOfOneKeyHaveExactlyOneWinner() throws Exception {
		IdempotencyKey key = newKey();
		List<ClaimResult> results = concurrently(32, () -> store.claim(key, "fp", LOCK));
		assertThat(results).filteredOn(ClaimResult.Acquired.class::isInstance).hasSize(1);
		assertThat(results).filteredOn(ClaimResult.InFlight.class::isInstance).hasSize(31);
	}

	@Test
	void anExpiredLockIsTakenOverByExactlyOneOfManyAndTheStaleOwnerIsFencedOff() throws Exception {
		IdempotencyKey key = newKey();
		String stale = acquire(key, "fp", Duration.ofMillis(200));
		Thread.sleep(400);
		List<ClaimResult> results = concurrently(16, () -> store.claim(key, "fp", LOCK));
		List<ClaimResult> winners = results.stream().filter(ClaimResult.Acquired.class::isInstance).toList();
		assertThat(winners).hasSize(1);
		assertThat(store.complete(key, stale, response(201, "stale"), RETENTION)).isFalse();
		assertThat(store.release(key, stale)).isFalse();
		String owner = ((ClaimResult.Acquired) winners.get(0)).lockToken();
		assertThat(store.complete(key, owner, response(201, "owner"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(new String(completed.response().body())).isEqualTo("owner"));
	}

	@Test
	void cleanupDeletesOnlyExpiredRowsInBatches() throws Exception {
		JdbcIdempotencyStore jdbcStore = (JdbcIdempotencyStore) store;
		jdbcStore.deleteExpired(Integer.MAX_VALUE);
		for (int i = 0; i < 25; i++) {
			acquire(newKey(), "fp", Duration.ofMillis(50));
		}
		IdempotencyKey live = newKey();
		String token = acquire(live, "fp", LOCK);
		store.complete(live, token, response(201, "{}"), RETENTION);
		Thread.sleep(200);
		assertThat(List.of(jdbcStore.deleteExpired(10), jdbcStore.deleteExpired(10), jdbcStore.deleteExpired(10),
				jdbcStore.deleteExpired(10)))
			.containsExactly(10, 10, 5, 0);
		assertThat(store.find(live)).isPresent();
		assertThat(rows()).isEqualTo(1);
	}

	@Test
	void cleanersOnSeveralInstancesAtOnceNeverFail() throws Exception {
		for (int i = 0; i < 200; i++) {
			acquire(newKey(), "fp", Duration.ofMillis(20));
		}
		Thread.sleep(100);
		JdbcExpiredRecordsCleaner cleaner = new JdbcExpiredRecordsCleaner((JdbcIdempotencyStore) store,
				Duration.ofHours(1), 7);
		List<Integer> deleted = concurrently(4, cleaner::cleanUp);
		assertThat(deleted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
		assertThat(rows()).isZero();
	}

	@Test
	void aClaimDoesNotJoinTheCallersTransaction() {
		IdempotencyKey key = newKey();
		TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		callers.executeWithoutResult((status) -> {
			store.claim(key, "fp", LOCK);
			status.setRollbackOnly();
		});
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
	}

	@Test
	void anUnreachableDatabaseFailsWithAStoreException() {
		HikariDataSource nowhere = new HikariDataSource();
		nowhere.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
		nowhere.setConnectionTimeout(500);
		nowhere.setInitializationFailTimeout(-1);
		try (nowhere) {
			assertThatExceptionOfType(IdempotencyStoreException.class)
				.isThrownBy(() -> new JdbcIdempotencyStore(nowhere, tableName).claim(newKey(), "fp", LOCK));
		}
	}

	@Test
	void theShippedSchemaCanRunAgain() {
		new JdbcIdempotencySchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS, tableName)
			.initializeDatabase();
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		assertThat(store.find(key)).isPresent();
	}

	private long rows() {
		return JdbcClient.create(dataSource).sql("SELECT count(*) FROM " + tableName).query(Long.class).single();
	}

	private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					start.await();
					return task.call();
				}));
			}
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

}
