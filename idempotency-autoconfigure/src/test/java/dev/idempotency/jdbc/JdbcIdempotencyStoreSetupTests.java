package dev.idempotency.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * How the JDBC store, its initializer and its cleaner are set up; no database needed.
 */
class JdbcIdempotencyStoreSetupTests {

	private final DataSource unreachable = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none");

	@Test
	void acceptsPlainAndSchemaQualifiedTableNames() {
		assertThat(new JdbcIdempotencyStore(unreachable).getTableName()).isEqualTo("idempotency_keys");
		assertThat(new JdbcIdempotencyStore(unreachable, "app.Idempotency_Keys2").getTableName())
			.isEqualTo("app.Idempotency_Keys2");
	}

	@Test
	void rejectsTableNamesThatAreNotIdentifiers() {
		for (String name : new String[] { "", "1keys", "keys; DROP TABLE users", "a.b.c", "keys-2", "\"keys\"", "keys ",
				"a..b" }) {
			assertThatIllegalArgumentException().as(name)
				.isThrownBy(() -> new JdbcIdempotencyStore(unreachable, name))
				.withMessageContaining("Table name");
		}
	}

	@Test
	void fillsInQualifiedAndSimpleTableNames() {
		assertThat(new TableName("app.keys").apply("CREATE INDEX %TABLE_SIMPLE_NAME%_idx ON %TABLE_NAME%"))
			.isEqualTo("CREATE INDEX keys_idx ON app.keys");
	}

	@Test
	void unsupportedDatabaseFailsClearlyWhenTheStoreIsCreated() throws Exception {
		DataSource oracle = databaseCalled("Oracle");
		assertThatIllegalStateException().isThrownBy(() -> new JdbcIdempotencyStore(oracle))
			.withMessageContaining("Oracle")
			.withMessageContaining("PostgreSQL, H2, MariaDB and MySQL");
	}

	@Test
	void unsupportedDatabaseHasNoSchema() throws Exception {
		DataSource oracle = databaseCalled("Oracle");
		assertThatIllegalStateException()
			.isThrownBy(() -> new JdbcIdempotencySchemaInitializer(oracle, DatabaseInitializationMode.ALWAYS, "keys"))
			.withMessageContaining("schema-oracle.sql");
	}

	@Test
	void initializerThatNeverRunsDoesNotAskTheDatabase() {
		JdbcIdempotencySchemaInitializer never = new JdbcIdempotencySchemaInitializer(unreachable,
				DatabaseInitializationMode.NEVER, "keys");
		assertThat(never.initializeDatabase()).isFalse();
	}

	@Test
	void mysqlSchemaIsTheMariaDbSchemaWithoutTheUpgradeMySqlCannotRunTwice() throws Exception {
		String mariadb = shipped("mariadb");
		String upgrade = mariadb.substring(mariadb.indexOf("\n-- A table created by 0.1"));
		assertThat(upgrade).contains("ADD COLUMN IF NOT EXISTS fencing_token");
		assertThat(shipped("mysql") + upgrade).isEqualTo(mariadb);
	}

	@Test
	void cleanerKeepsRunningAfterAFailure() {
		AtomicInteger calls = new AtomicInteger();
		JdbcIdempotencyStore failingThenEmpty = new JdbcIdempotencyStore(unreachable) {

			@Override
			public int deleteExpired(int batchSize) {
				if (calls.incrementAndGet() == 1) {
					throw new IllegalStateException("database down");
				}
				return 0;
			}

		};
		JdbcExpiredRecordsCleaner cleaner = new JdbcExpiredRecordsCleaner(failingThenEmpty, Duration.ofMillis(20), 10);
		cleaner.start();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
		}
		finally {
			cleaner.stop();
		}
	}

	@Test
	void cleanerRunStopsAfterABoundedNumberOfFullBatches() {
		AtomicInteger calls = new AtomicInteger();
		JdbcIdempotencyStore endless = new JdbcIdempotencyStore(unreachable) {

			@Override
			public int deleteExpired(int batchSize) {
				calls.incrementAndGet();
				return batchSize;
			}

		};
		assertThat(new JdbcExpiredRecordsCleaner(endless, Duration.ofMinutes(1), 10).cleanUp())
			.isEqualTo(10 * JdbcExpiredRecordsCleaner.MAX_BATCHES_PER_RUN);
		assertThat(calls).hasValue(JdbcExpiredRecordsCleaner.MAX_BATCHES_PER_RUN);
	}

	private static String shipped(String platform) throws Exception {
		return new ClassPathResource("dev/idempotency/jdbc/schema-" + platform + ".sql")
			.getContentAsString(StandardCharsets.UTF_8);
	}

	private static DataSource databaseCalled(String productName) throws Exception {
		DatabaseMetaData metaData = mock(DatabaseMetaData.class);
		given(metaData.getDatabaseProductName()).willReturn(productName);
		given(metaData.getURL()).willReturn("jdbc:oracle:thin:@localhost:1521:xe");
		Connection connection = mock(Connection.class);
		given(connection.getMetaData()).willReturn(metaData);
		DataSource dataSource = mock(DataSource.class);
		given(dataSource.getConnection()).willReturn(connection);
		return dataSource;
	}

}
