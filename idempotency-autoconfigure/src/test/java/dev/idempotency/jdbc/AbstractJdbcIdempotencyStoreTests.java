package dev.idempotency.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.IdempotencyStoreContractTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The store contract and the JDBC store's own guarantees, against a real database. Each
 * test gets a table of its own, created by the shipped schema script, and drops it
 * afterwards.
 */
abstract class AbstractJdbcIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private final List<String> tables = new ArrayList<>();

	protected JdbcIdempotencyStore jdbcStore;

	protected String table;

	/**
	 * The database under test, shared by the class.
	 * @return the data source
	 */
	protected abstract DataSource dataSource();

	/**
	 * The platform whose shipped script the database runs.
	 * @return the platform, such as {@code postgresql}
	 */
	protected abstract String schemaPlatform();

	@Override
	protected IdempotencyStore createStore() {
		this.jdbcStore = newStoreOnFreshTable();
		this.table = jdbcStore.getTableName();
		return jdbcStore;
	}

	protected JdbcIdempotencyStore newStoreOnFreshTable() {
		String name = "idem_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		tables.add(name);
		assertThat(createSchema(name)).isTrue();
		return new JdbcIdempotencyStore(dataSource(), name);
	}

	protected boolean createSchema(String name) {
		return new JdbcIdempotencySchemaInitializer(dataSource(), DatabaseInitializationMode.ALWAYS, name)
			.initializeDatabase();
	}

	@AfterEach
	void dropTables() {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		tables.forEach((name) -> jdbc.execute("DROP TABLE IF EXISTS " + name));
	}

	protected int rowCount() {
		Integer count = new JdbcTemplate(dataSource()).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
		return (count != null) ? count : -1;
	}

	@Test
	void onlyOneOfManyConcurrentClaimersTakesOverAnExpiredLock() throws Exception {
		IdempotencyKey key = newKey();
		String stale = acquire(key, "fp", SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.find(key).isEmpty());
		List<ClaimResult> results = claimAtOnce(32, key, "fp");
		List<String> winners = results.stream()
			.filter(ClaimResult.Acquired.class::isInstance)
			.map((result) -> ((ClaimResult.Acquired) result).lockToken())
			.toList();
		assertThat(winners).hasSize(1);
		assertThat(results).filteredOn((result) -> !(result instanceof ClaimResult.Acquired))
			.allMatch(ClaimResult.InFlight.class::isInstance);
		assertThat(store.complete(key, stale, response(200, "stale"), RETENTION)).isFalse();
		assertThat(store.release(key, stale)).isFalse();
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
		assertThat(store.complete(key, winners.get(0), response(201, "new owner"), RETENTION)).isTrue();
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", response(201, "new owner")));
	}

	@Test
	void completedRecordPastItsRetentionIsClaimedAgainWhileItsRowIsStillThere() {
		IdempotencyKey key = newKey();
		store.complete(key, acquire(key, "fp", LOCK), response(200, "old"), SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.find(key).isEmpty());
		assertThat(rowCount()).isEqualTo(1);
		String token = acquire(key, "fp", LOCK);
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
		assertThat(store.complete(key, token, response(200, "new"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "new")));
	}

	@Test
	void ownerWhoseLockExpiredCanNeitherCompleteNorReleaseEvenBeforeATakeover() {
		IdempotencyKey key = newKey();
		String late = acquire(key, "fp", SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.find(key).isEmpty());
		assertThat(store.complete(key, late, response(200, "late"), RETENTION)).isFalse();
		assertThat(store.release(key, late)).isFalse();
		assertThat(rowCount()).isEqualTo(1);
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void stillLockedRowIsNotTakenOverWhenOnlyAnotherRowExpired() {
		IdempotencyKey expired = newKey();
		IdempotencyKey live = newKey();
		acquire(expired, "fp", Duration.ofMillis(1));
		acquire(live, "fp", LOCK);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.find(expired).isEmpty());
		assertThat(store.claim(live, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(store.claim(live, "other", LOCK)).isEqualTo(new ClaimResult.Mismatch());
	}

	@Test
	void deleteExpiredRemovesOnlyExpiredRowsInBatches() {
		List<IdempotencyKey> live = new ArrayList<>();
		for (int i = 0; i < 15; i++) {
			acquire(newKey(), "fp", Duration.ofMillis(1));
		}
		for (int i = 0; i < 10; i++) {
			IdempotencyKey key = newKey();
			store.complete(key, acquire(key, "fp", LOCK), response(200, "short"), Duration.ofMillis(1));
		}
		for (int i = 0; i < 3; i++) {
			IdempotencyKey key = newKey();
			acquire(key, "fp", LOCK);
			live.add(key);
		}
		for (int i = 0; i < 2; i++) {
			IdempotencyKey key = newKey();
			store.complete(key, acquire(key, "fp", LOCK), response(200, "kept"), RETENTION);
			live.add(key);
		}
		sleep(Duration.ofMillis(50));
		assertThat(rowCount()).isEqualTo(30);
		assertThat(List.of(jdbcStore.deleteExpired(10), jdbcStore.deleteExpired(10), jdbcStore.deleteExpired(10),
				jdbcStore.deleteExpired(10)))
			.containsExactly(10, 10, 5, 0);
		assertThat(rowCount()).isEqualTo(5);
		assertThat(live).allSatisfy((key) -> assertThat(store.find(key)).isPresent());
	}

	@Test
	void cleanersRunningConcurrentlyNeverFailAndDeleteEveryExpiredRow() throws Exception {
		for (int i = 0; i < 200; i++) {
			acquire(newKey(), "fp", Duration.ofMillis(1));
		}
		IdempotencyKey live = newKey();
		acquire(live, "fp", LOCK);
		sleep(Duration.ofMillis(50));
		JdbcExpiredRecordsCleaner first = new JdbcExpiredRecordsCleaner(jdbcStore, Duration.ofMinutes(1), 7);
		JdbcExpiredRecordsCleaner second = new JdbcExpiredRecordsCleaner(jdbcStore, Duration.ofMinutes(1), 7);
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Future<Integer> one = pool.submit(() -> {
				start.await();
				return first.cleanUp();
			});
			Future<Integer> two = pool.submit(() -> {
				start.await();
				return second.cleanUp();
			});
			start.countDown();
			assertThat(one.get() + two.get()).isEqualTo(200);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(rowCount()).isEqualTo(1);
		assertThat(store.find(live)).isPresent();
	}

	@Test
	void startedCleanerDeletesExpiredRowsUntilStopped() {
		acquire(newKey(), "fp", Duration.ofMillis(1));
		JdbcExpiredRecordsCleaner cleaner = new JdbcExpiredRecordsCleaner(jdbcStore, Duration.ofMillis(100), 10);
		cleaner.start();
		try {
			assertThat(cleaner.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> rowCount() == 0);
		}
		finally {
			cleaner.stop();
		}
		assertThat(cleaner.isRunning()).isFalse();
		acquire(newKey(), "fp", Duration.ofMillis(1));
		sleep(Duration.ofMillis(400));
		assertThat(rowCount()).isEqualTo(1);
	}

	@Test
	void claimSurvivesTheRollbackOfTheCallersTransaction() {
		IdempotencyKey key = newKey();
		TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
		callers.executeWithoutResult((status) -> {
			assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
			acquire(key, "fp", LOCK);
			status.setRollbackOnly();
		});
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
	}

	@Test
	void claimNeitherJoinsNorCommitsAConnectionBoundWithoutAnActiveJdbcTransaction() throws Exception {
		// Bound as JpaTransactionManager binds the EntityManager's connection.
		String callersTable = createCallersTable();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		IdempotencyKey key = newKey();
		try (Connection callers = dataSource().getConnection()) {
			callers.setAutoCommit(false);
			TransactionSynchronizationManager.bindResource(dataSource(), new ConnectionHolder(callers));
			TransactionSynchronizationManager.initSynchronization();
			try {
				jdbc.update("INSERT INTO " + callersTable + " (id) VALUES (1)");
				acquire(key, "fp", LOCK);
			}
			finally {
				TransactionSynchronizationManager.clearSynchronization();
				TransactionSynchronizationManager.unbindResource(dataSource());
				callers.rollback();
				callers.setAutoCommit(true);
			}
		}
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + callersTable, Integer.class)).isZero();
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
	}

	@Test
	void claimGoesAroundATransactionAwareProxyAndLeavesTheCallersTransactionAlone() {
		String callersTable = createCallersTable();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		JdbcIdempotencyStore behindProxy = new JdbcIdempotencyStore(new TransactionAwareDataSourceProxy(dataSource()),
				table);
		IdempotencyKey key = newKey();
		TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
		callers.executeWithoutResult((status) -> {
			jdbc.update("INSERT INTO " + callersTable + " (id) VALUES (1)");
			assertThat(behindProxy.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
			status.setRollbackOnly();
		});
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + callersTable, Integer.class)).isZero();
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
	}

	/** A table for a caller's own writes, dropped after the test. */
	private String createCallersTable() {
		String name = table + "_c";
		tables.add(name);
		new JdbcTemplate(dataSource()).execute("CREATE TABLE " + name + " (id INT)");
		return name;
	}

	@Test
	void claimsAndCompletionsAreCommittedOnPoolsThatTurnAutoCommitOff() {
		DataSource manualCommit = new DelegatingDataSource(dataSource()) {

			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				connection.setAutoCommit(false);
				return connection;
			}

		};
		JdbcIdempotencyStore onManualCommitPool = new JdbcIdempotencyStore(manualCommit, table);
		IdempotencyKey key = newKey();
		ClaimResult.Acquired acquired = (ClaimResult.Acquired) onManualCommitPool.claim(key, "fp", LOCK);
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
		StoredResponse response = response(201, "{\"id\":1}");
		assertThat(onManualCommitPool.complete(key, acquired.lockToken(), response, RETENTION)).isTrue();
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", response));
	}

	@Test
	void fencingTokenIncreasesWhenAKeyIsClaimedAgainAfterCleanupDeletedItsRow() {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired crashed = acquired(key, "fp", Duration.ofMillis(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> store.find(key).isEmpty());
		assertThat(jdbcStore.deleteExpired(10)).isEqualTo(1);
		assertThat(acquired(key, "fp", LOCK).fencingToken()).isGreaterThan(crashed.fencingToken());
	}

	@Test
	void tableOfVersion01FailsAtStartUpWithTheStatementThatUpgradesIt() {
		String name = tableOfVersion01();
		String upgrade = "ALTER TABLE " + name + " ADD COLUMN fencing_token BIGINT NOT NULL DEFAULT 0";
		assertThatIllegalStateException().isThrownBy(() -> new JdbcIdempotencyStore(dataSource(), name))
			.withMessageContaining(name)
			.withMessageContaining(upgrade);
		new JdbcTemplate(dataSource()).execute(upgrade);
		assertUsable(new JdbcIdempotencyStore(dataSource(), name));
	}

	@Test
	void shippedSchemaUpgradesATableOfVersion01() {
		String name = tableOfVersion01();
		IdempotencyKey running = newKey();
		new JdbcTemplate(dataSource()).update("INSERT INTO " + name
				+ " (key_digest, scope, endpoint, idempotency_key, fingerprint, lock_token, expires_at, created_at)"
				+ " VALUES (?, 's', 'e', 'k', 'fp', 'old-token', '2020-01-01 00:00:00', '2020-01-01 00:00:00')",
				running.digest());
		assertThat(createSchema(name)).isTrue();
		assertThat(createSchema(name)).isTrue();
		JdbcIdempotencyStore upgraded = new JdbcIdempotencyStore(dataSource(), name);
		assertUsable(upgraded);
		assertThat(upgraded.claim(running, "fp", LOCK)).isInstanceOfSatisfying(ClaimResult.Acquired.class,
				(takenOver) -> assertThat(takenOver.fencingToken()).isPositive());
	}

	private void assertUsable(JdbcIdempotencyStore upgraded) {
		IdempotencyKey key = newKey();
		ClaimResult.Acquired acquired = (ClaimResult.Acquired) upgraded.claim(key, "fp", LOCK);
		assertThat(acquired.fencingToken()).isPositive();
		assertThat(upgraded.renew(key, acquired.lockToken(), LOCK)).isTrue();
		assertThat(upgraded.complete(key, acquired.lockToken(), response(200, "ok"), RETENTION)).isTrue();
	}

	/** A table as 0.1 created it: the shipped schema without what 0.2 added. */
	private String tableOfVersion01() {
		String name = "idem_old_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		tables.add(name);
		String current = JdbcIdempotencySchemaInitializer.schemaFor(dataSource(), name);
		String old = current.substring(0, current.indexOf("-- A table created by 0.1"))
			.replace(",\n\tfencing_token BIGINT NOT NULL DEFAULT 0", "")
			.replace("\tfencing_token BIGINT NOT NULL DEFAULT 0,\n", "");
		assertThat(old).doesNotContain("fencing_token BIGINT");
		new ResourceDatabasePopulator(new ByteArrayResource(old.getBytes(StandardCharsets.UTF_8)))
			.execute(dataSource());
		return name;
	}

	@Test
	void schemaScriptCanRunAgainWithoutHarm() {
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		assertThat(createSchema(table)).isTrue();
		assertThat(createSchema(table)).isTrue();
		assertThat(held(store.find(key))).contains(new IdempotencyRecord("fp", null));
	}

	@Test
	void testsCreateTheShippedSchema() throws Exception {
		String shipped = new ClassPathResource("dev/idempotency/jdbc/schema-" + schemaPlatform() + ".sql")
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(JdbcIdempotencySchemaInitializer.schemaFor(dataSource(), table))
			.isEqualTo(shipped.replace("%TABLE_NAME%", table).replace("%TABLE_SIMPLE_NAME%", table));
		assertThat(columnsOf(table)).containsExactlyInAnyOrder("key_digest", "scope", "endpoint", "idempotency_key",
				"fingerprint", "lock_token", "response", "expires_at", "created_at", "fencing_token");
	}

	private Set<String> columnsOf(String name) throws Exception {
		return JdbcUtils.extractDatabaseMetaData(dataSource(), (DatabaseMetaData metaData) -> {
			Set<String> columns = new TreeSet<>();
			for (String candidate : List.of(name, name.toUpperCase(Locale.ROOT))) {
				try (ResultSet rs = metaData.getColumns(null, null, candidate, null)) {
					while (rs.next()) {
						columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
					}
				}
			}
			return columns;
		});
	}

	protected final List<ClaimResult> claimAtOnce(int threads, IdempotencyKey key, String fingerprint)
			throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<ClaimResult>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				Callable<ClaimResult> claim = () -> {
					start.await();
					return store.claim(key, fingerprint, LOCK);
				};
				futures.add(pool.submit(claim));
			}
			start.countDown();
			List<ClaimResult> results = new ArrayList<>();
			for (Future<ClaimResult> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	protected static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
