package dev.idempotency.operation;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.idempotency.Atomicity;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.Idempotent;
import dev.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyOperationsAutoConfiguration;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Transactional mode off the web: a message handler's writes and its processed record
 * (its key and stored result) commit together on a real PostgreSQL server, the inbox
 * pattern; and the same through the template.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransactionalOperationsRealServersTests {

	private static final String TABLE = "idem_ops_tx_keys";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, JacksonAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
				IdempotencyAutoConfiguration.class, IdempotencyOperationsAutoConfiguration.class))
		.withPropertyValues("idempotency.store.type=jdbc", "idempotency.jdbc.initialize-schema=always",
				"idempotency.jdbc.table-name=" + TABLE)
		.withPropertyValues(postgres())
		.withUserConfiguration(Beans.class);

	@Test
	void aMessagesWritesAndItsProcessedRecordCommitTogether() {
		runner.run((context) -> {
			Inbox inbox = context.getBean(Inbox.class);
			String message = "msg-" + UUID.randomUUID();

			String first = inbox.handle(message, "widget");
			String redelivered = inbox.handle(message, "widget");

			assertThat(redelivered).isEqualTo(first);
			assertThat(inbox.rows(message)).isOne();
			assertThat(context.getBean(IdempotencyStore.class).find(key(message)))
				.hasValueSatisfying((record) -> assertThat(record.isCompleted()).isTrue());
		});
	}

	@Test
	void aFailedMessageLeavesNeitherItsWritesNorItsKeySoTheRedeliveryRunsIt() {
		runner.run((context) -> {
			Inbox inbox = context.getBean(Inbox.class);
			String message = "msg-" + UUID.randomUUID();

			assertThatIllegalStateException().isThrownBy(() -> inbox.handle(message, "fail-once"));
			assertThat(inbox.rows(message)).isZero();
			assertThat(context.getBean(IdempotencyStore.class).find(key(message))).isEmpty();

			inbox.handle(message, "fail-once");
			assertThat(inbox.rows(message)).isOne();
		});
	}

	@Test
	void aRedeliveryWhileTheFirstRunsIsRefusedAtOnce() {
		runner.run((context) -> {
			Inbox inbox = context.getBean(Inbox.class);
			String message = "msg-" + UUID.randomUUID();
			CountDownLatch release = inbox.holdNext();
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> inbox.handle(message, "slow"));
			assertThat(inbox.awaitHeld()).isTrue();

			assertThatExceptionOfType(IdempotencyInFlightException.class)
				.isThrownBy(() -> inbox.handle(message, "slow"));
			release.countDown();
			first.get(10, TimeUnit.SECONDS);
			assertThat(inbox.rows(message)).isOne();
		});
	}

	@Test
	void theTemplateCommitsItsCodesWritesWithItsResult() {
		runner.run((context) -> {
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
			Inbox inbox = context.getBean(Inbox.class);
			String message = "msg-" + UUID.randomUUID();

			assertThatIllegalStateException().isThrownBy(() -> template.call("imports", message)
				.inTransaction()
				.execute(String.class, () -> inbox.insertThenFail(message)));
			assertThat(inbox.rows(message)).isZero();

			String done = template.call("imports", message)
				.inTransaction()
				.execute(String.class, () -> inbox.insert(message));
			String again = template.call("imports", message)
				.inTransaction()
				.execute(String.class, () -> inbox.insert(message));
			assertThat(again).isEqualTo(done);
			assertThat(inbox.rows(message)).isOne();
		});
	}

	@Test
	void aReplayInsideTheCallersTransactionLeavesItFreeToCommit() {
		runner.run((context) -> {
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
			Inbox inbox = context.getBean(Inbox.class);
			TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			String message = "msg-" + UUID.randomUUID();
			String done = template.call("imports", message)
				.inTransaction()
				.execute(String.class, () -> inbox.insert(message));

			// The caller's own transaction writes, then replays the import inside it: the
			// replay joined it and wrote nothing, so the caller's write commits.
			String replayed = outer.execute((status) -> {
				inbox.insert("outer-" + message);
				return template.call("imports", message)
					.inTransaction()
					.execute(String.class, () -> inbox.insert(message));
			});
			assertThat(replayed).isEqualTo(done);
			assertThat(inbox.rows("outer-" + message)).isOne();
			assertThat(inbox.rows(message)).isOne();
		});
	}

	@Test
	void aDuplicateWaitingForTheRunningOneHoldsNoConnectionBetweenItsClaims() {
		// Two connections: the running import holds one; the waiting duplicate must not
		// hold the other while it waits, or nothing else could reach the database.
		runner
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=2",
					"spring.datasource.hikari.connection-timeout=400")
			.run((context) -> {
				IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
				Inbox inbox = context.getBean(Inbox.class);
				String message = "msg-" + UUID.randomUUID();
				CountDownLatch release = new CountDownLatch(1);
				CompletableFuture<String> first = runningImport(template, inbox, message, release);
				CompletableFuture<String> duplicate = CompletableFuture
					.supplyAsync(() -> template.call("imports", message)
						.inTransaction()
						.waitWhenInFlight()
						.execute(String.class, () -> inbox.insert(message)));
				Thread.sleep(300);
				assertThat(duplicate).isNotDone();
				// Several connection timeouts long: a held connection would starve these.
				for (int i = 0; i < 5; i++) {
					assertThat(inbox.rows(message + "-elsewhere")).isZero();
					Thread.sleep(200);
				}
				release.countDown();
				String done = first.get(10, TimeUnit.SECONDS);
				assertThat(duplicate.get(10, TimeUnit.SECONDS)).isEqualTo(done);
				assertThat(inbox.rows(message)).isOne();
			});
	}

	@Test
	void aReplayFromTheNearCacheNeedsNoConnection() {
		// One connection, held by a running import while a retry of another, completed,
		// import is replayed from this instance's memory.
		runner
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=1",
					"spring.datasource.hikari.connection-timeout=400")
			.run((context) -> {
				IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
				Inbox inbox = context.getBean(Inbox.class);
				String message = "msg-" + UUID.randomUUID();
				String done = template.call("imports", message)
					.inTransaction()
					.execute(String.class, () -> inbox.insert(message));
				assertThat(template.call("imports", message)
					.inTransaction()
					.execute(String.class, () -> inbox.insert(message))).as("the first retry, read from the database")
					.isEqualTo(done);
				CountDownLatch release = new CountDownLatch(1);
				CompletableFuture<String> other = runningImport(template, inbox, message + "-other", release);

				assertThat(template.call("imports", message)
					.inTransaction()
					.execute(String.class, () -> inbox.insert(message))).isEqualTo(done);
				release.countDown();
				other.get(10, TimeUnit.SECONDS);
				assertThat(inbox.rows(message)).isOne();
			});
	}

	@Test
	void anOperationThatSuspendsItsTransactionIsWarnedAboutOnce(CapturedOutput output) {
		runner.run((context) -> {
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
			Inbox inbox = context.getBean(Inbox.class);
			TransactionTemplate requiresNew = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
			for (int i = 0; i < 2; i++) {
				String message = "msg-" + UUID.randomUUID();
				template.call("audited-imports", message)
					.inTransaction()
					.execute(String.class, () -> requiresNew.execute((status) -> inbox.insert(message)));
			}
			assertThat(output.getOut().split("audited-imports suspended its transaction", -1)).hasSize(2);
		});
	}

	@Test
	void onH2TheModeIsUnavailableAndAskingForItFailsTheStartUp() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, IdempotencyAutoConfiguration.class))
			.withPropertyValues("idempotency.store.type=jdbc", "idempotency.jdbc.initialize-schema=always",
					"spring.datasource.url=jdbc:h2:mem:tx-mode;DB_CLOSE_DELAY=-1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(IdempotencyEngine.class).supportsTransactions()).isFalse();
			});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, IdempotencyAutoConfiguration.class))
			.withPropertyValues("idempotency.store.type=jdbc", "idempotency.jdbc.initialize-schema=always",
					"spring.datasource.url=jdbc:h2:mem:tx-mode-on;DB_CLOSE_DELAY=-1",
					"idempotency.atomicity=transaction")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("idempotency.atomicity=transaction needs the JDBC store on PostgreSQL"));
	}

	@Test
	void onPostgresBehindNoTransactionManagerTheModeIsUnavailable() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, IdempotencyAutoConfiguration.class))
			.withPropertyValues("idempotency.store.type=jdbc", "idempotency.jdbc.initialize-schema=always",
					"idempotency.jdbc.table-name=" + TABLE)
			.withPropertyValues(postgres())
			.run((context) -> assertThat(context.getBean(IdempotencyEngine.class).supportsTransactions()).isFalse());
	}

	private static IdempotencyKey key(String message) {
		return new IdempotencyKey(IdempotencyTemplate.NO_SCOPE, "inbox", message);
	}

	/**
	 * Starts an import in transactional mode that holds its transaction (and connection)
	 * until released; returns once it runs.
	 */
	private static CompletableFuture<String> runningImport(IdempotencyTemplate template, Inbox inbox, String message,
			CountDownLatch release) throws InterruptedException {
		CountDownLatch running = new CountDownLatch(1);
		CompletableFuture<String> result = CompletableFuture
			.supplyAsync(() -> template.call("imports", message).inTransaction().execute(String.class, () -> {
				String inserted = inbox.insert(message);
				running.countDown();
				Inbox.await(release);
				return inserted;
			}));
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		return result;
	}

	private static String[] postgres() {
		JdbcServer server = TestServers.postgres();
		return new String[] { "spring.datasource.url=" + server.jdbcUrl(),
				"spring.datasource.username=" + server.username(), "spring.datasource.password=" + server.password() };
	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		Inbox inbox(JdbcTemplate jdbc) {
			jdbc.execute("CREATE TABLE IF NOT EXISTS idem_ops_inbox (message_id VARCHAR(80) NOT NULL, item TEXT)");
			return new Inbox(jdbc);
		}

	}

	/**
	 * A message handler that writes a row per message, through the application's JDBC.
	 */
	static class Inbox {

		private final JdbcTemplate jdbc;

		private final Set<String> failed = ConcurrentHashMap.newKeySet();

		private volatile CountDownLatch hold = new CountDownLatch(0);

		private final CountDownLatch held = new CountDownLatch(1);

		Inbox(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Idempotent(key = "#messageId", name = "inbox", atomicity = Atomicity.TRANSACTION)
		public String handle(String messageId, String item) {
			insert(messageId);
			if (item.equals("fail-once") && failed.add(messageId)) {
				throw new IllegalStateException("Handler failed after writing");
			}
			if (item.equals("slow")) {
				held.countDown();
				await(hold);
			}
			return "handled " + messageId + " at " + System.nanoTime();
		}

		String insert(String messageId) {
			jdbc.update("INSERT INTO idem_ops_inbox (message_id, item) VALUES (?, ?)", messageId, "x");
			return "inserted " + messageId + " at " + System.nanoTime();
		}

		String insertThenFail(String messageId) {
			insert(messageId);
			throw new IllegalStateException("Import failed after writing");
		}

		int rows(String messageId) {
			Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM idem_ops_inbox WHERE message_id = ?",
					Integer.class, messageId);
			return (count != null) ? count : -1;
		}

		CountDownLatch holdNext() {
			hold = new CountDownLatch(1);
			return hold;
		}

		boolean awaitHeld() throws InterruptedException {
			return held.await(10, TimeUnit.SECONDS);
		}

		static void await(CountDownLatch latch) {
			try {
				latch.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
