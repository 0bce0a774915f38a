package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.ListeningIdempotencyStore;
import dev.idempotency.store.NearCachedIdempotencyStore;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The JDBC store's view that joins the caller's transaction, on a real PostgreSQL server:
 * a claim is invisible until its transaction commits, a concurrent claim answers in
 * flight at once instead of waiting on the uncommitted row, and a rollback leaves
 * nothing.
 */
class PostgresTransactionJoiningStoreTests {

	private static final Duration LOCK = Duration.ofSeconds(30);

	private static final Duration RETENTION = Duration.ofHours(1);

	private static HikariDataSource dataSource;

	private JdbcIdempotencyStore store;

	private IdempotencyStore joining;

	private TransactionTemplate transactions;

	private String table;

	@BeforeAll
	static void connect() {
		JdbcServer server = TestServers.postgres();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
		dataSource.setUsername(server.username());
		dataSource.setPassword(server.password());
		dataSource.setMaximumPoolSize(8);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@BeforeEach
	void createTable() {
		table = "idem_tx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		new JdbcIdempotencySchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS, table).initializeDatabase();
		store = new JdbcIdempotencyStore(dataSource, table);
		joining = store.joiningTransactions().orElseThrow();
		transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	@AfterEach
	void dropTable() {
		new JdbcTemplate(dataSource).execute("DROP TABLE IF EXISTS " + table);
	}

	@Test
	void claimIsInvisibleUntilItsTransactionCommitsWithTheResponse() {
		IdempotencyKey key = newKey();
		transactions.executeWithoutResult((status) -> {
			ClaimResult.Acquired acquired = (ClaimResult.Acquired) joining.claim(key, "fp", LOCK);
			assertThat(store.find(key)).isEmpty();
			assertThat(joining.complete(key, acquired.lockToken(), response("paid"), RETENTION)).isTrue();
			// The store's own statements run on connections of their own, outside this
			// transaction.
			assertThat(store.find(key)).isEmpty();
		});
		assertThat(rows()).isOne();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(new String(completed.response().body())).isEqualTo("paid"));
	}

	@Test
	void rollbackLeavesTheKeyFreeAndNoRow() {
		IdempotencyKey key = newKey();
		transactions.executeWithoutResult((status) -> {
			assertThat(joining.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
			assertThat(joining.release(key, "any")).isTrue();
			status.setRollbackOnly();
		});
		assertThat(rows()).isZero();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void concurrentClaimInAnotherTransactionAnswersInFlightWithoutWaitingForTheFirst() throws Exception {
		IdempotencyKey key = newKey();
		CountDownLatch claimed = new CountDownLatch(1);
		CountDownLatch checked = new CountDownLatch(1);
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult((status) -> {
			ClaimResult.Acquired acquired = (ClaimResult.Acquired) joining.claim(key, "fp", LOCK);
			claimed.countDown();
			await(checked);
			joining.complete(key, acquired.lockToken(), response("first"), RETENTION);
		}));
		assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
		long started = System.nanoTime();
		ClaimResult duplicate = transactions.execute((status) -> joining.claim(key, "fp", LOCK));
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		checked.countDown();
		first.get(10, TimeUnit.SECONDS);
		assertThat(duplicate).isInstanceOfSatisfying(ClaimResult.InFlight.class,
				(inFlight) -> assertThat(inFlight.retryAfter()).isPositive());
		// Waiting on the uncommitted row would have lasted until the first commits.
		assertThat(took).isLessThan(Duration.ofSeconds(2));
		ClaimResult after = transactions.execute((status) -> joining.claim(key, "fp", LOCK));
		assertThat(after).isInstanceOf(ClaimResult.Completed.class);
		ClaimResult other = transactions.execute((status) -> joining.claim(key, "other", LOCK));
		assertThat(other).isInstanceOf(ClaimResult.Mismatch.class);
	}

	@Test
	void claimAfterTheFirstRolledBackAcquiresTheKey() throws Exception {
		IdempotencyKey key = newKey();
		CountDownLatch claimed = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult((status) -> {
			joining.claim(key, "fp", LOCK);
			claimed.countDown();
			await(release);
			status.setRollbackOnly();
		}));
		assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
		release.countDown();
		first.get(10, TimeUnit.SECONDS);
		ClaimResult again = transactions.execute((status) -> joining.claim(key, "fp", LOCK));
		assertThat(again).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void expiredCompletedRowIsTakenOverInTheTransaction() {
		IdempotencyKey key = newKey();
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", LOCK)).lockToken();
		store.complete(key, token, response("old"), Duration.ofMillis(1));
		sleep(Duration.ofMillis(20));
		ClaimResult.Acquired again = transactions
			.execute((status) -> (ClaimResult.Acquired) joining.claim(key, "fp", LOCK));
		assertThat(again).isNotNull();
		assertThat(again.fencingToken()).isPositive();
	}

	@Test
	void nearCacheKeepsAReplayReadInATransactionOnlyOnceItCommitted() {
		AtomicInteger databaseClaims = new AtomicInteger();
		NearCachedIdempotencyStore nearCached = new NearCachedIdempotencyStore(
				new ListeningIdempotencyStore(store, StoreLayer.DATABASE, new IdempotencyListener() {

					@Override
					public void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result,
							long nanos) {
						if (operation == StoreOperation.CLAIM) {
							databaseClaims.incrementAndGet();
						}
					}

				}));
		IdempotencyStore nearJoining = nearCached.joiningTransactions().orElseThrow();
		// A transaction that completes a key and claims it again reads its own
		// uncommitted
		// response: the cache must not keep it, the rollback undoes it.
		IdempotencyKey rolledBack = newKey();
		transactions.executeWithoutResult((status) -> {
			ClaimResult.Acquired acquired = (ClaimResult.Acquired) nearJoining.claim(rolledBack, "fp", LOCK);
			assertThat(nearJoining.complete(rolledBack, acquired.lockToken(), response("undone"), RETENTION)).isTrue();
			assertThat(nearJoining.claim(rolledBack, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
			status.setRollbackOnly();
		});
		assertThat(nearCached.size()).isZero();
		assertThat(nearCached.claim(rolledBack, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);

		IdempotencyKey committed = newKey();
		transactions.executeWithoutResult((status) -> {
			ClaimResult.Acquired acquired = (ClaimResult.Acquired) nearJoining.claim(committed, "fp", LOCK);
			assertThat(nearJoining.complete(committed, acquired.lockToken(), response("paid"), RETENTION)).isTrue();
			assertThat(nearJoining.claim(committed, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
			assertThat(nearCached.size()).as("nothing kept before the commit").isZero();
		});
		assertThat(nearCached.size()).as("kept once committed").isOne();
		int claimsBefore = databaseClaims.get();
		assertThat(nearCached.claim(committed, "fp", LOCK)).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(new String(completed.response().body())).isEqualTo("paid"));
		ClaimResult inTransaction = transactions.execute((status) -> nearJoining.claim(committed, "fp", LOCK));
		assertThat(inTransaction).isInstanceOf(ClaimResult.Completed.class);
		assertThat(databaseClaims).hasValue(claimsBefore);
	}

	@Test
	void nearCacheKeepsAReplayOfAResponseCommittedElsewhereEvenWhenTheReadingTransactionRollsBack() {
		NearCachedIdempotencyStore nearCached = new NearCachedIdempotencyStore(store);
		IdempotencyStore nearJoining = nearCached.joiningTransactions().orElseThrow();
		IdempotencyKey key = newKey();
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", LOCK)).lockToken();
		assertThat(store.complete(key, token, response("paid elsewhere"), RETENTION)).isTrue();

		// A replay in transactional mode: the claim reads the committed response, and the
		// engine then ends the transaction, which wrote nothing, with a rollback.
		transactions.executeWithoutResult((status) -> {
			assertThat(nearJoining.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
			status.setRollbackOnly();
		});
		assertThat(nearCached.size()).isOne();
		assertThat(nearCached.claim(key, "fp", LOCK)).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(new String(completed.response().body())).isEqualTo("paid elsewhere"));
	}

	@Test
	void claimOutsideATransactionIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> joining.claim(newKey(), "fp", LOCK))
			.withMessageContaining("needs an active transaction");
		assertThat(rows()).isZero();
	}

	@Test
	void claimInATransactionOfAnotherDataSourceIsRefused() {
		HikariDataSource other = new HikariDataSource();
		other.setJdbcUrl(dataSource.getJdbcUrl());
		other.setUsername(dataSource.getUsername());
		other.setPassword(dataSource.getPassword());
		try {
			TransactionTemplate elsewhere = new TransactionTemplate(new DataSourceTransactionManager(other));
			elsewhere.executeWithoutResult((status) -> {
				new JdbcTemplate(other).queryForObject("SELECT 1", Integer.class);
				assertThatIllegalStateException().isThrownBy(() -> joining.claim(newKey(), "fp", LOCK));
			});
		}
		finally {
			other.close();
		}
		assertThat(rows()).isZero();
	}

	private int rows() {
		Integer count = new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
		return (count != null) ? count : -1;
	}

	private static IdempotencyKey newKey() {
		return new IdempotencyKey("tenant-" + UUID.randomUUID(), "POST /payments", UUID.randomUUID().toString());
	}

	private static StoredResponse response(String body) {
		return new StoredResponse(201, Map.of("Content-Type", List.of("application/json")), body.getBytes());
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
