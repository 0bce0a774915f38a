package dev.idempotency.operation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.Idempotent;
import dev.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyOperationsAutoConfiguration;
import dev.idempotency.engine.IdempotencyContext;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Idempotent} on beans that are not controllers, as an application gets it from
 * the auto-configuration (in-memory store, Boot's AOP, JDBC transactions on H2).
 */
class IdempotentMethodTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, JacksonAutoConfiguration.class,
				DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class,
				IdempotencyAutoConfiguration.class, IdempotencyOperationsAutoConfiguration.class))
		.withPropertyValues("idempotency.store.type=in-memory",
				"spring.datasource.url=jdbc:h2:mem:methods;DB_CLOSE_DELAY=-1")
		.withUserConfiguration(Beans.class);

	@Test
	void aDuplicateCallReturnsTheStoredResultWithoutRunning() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);

			Receipt first = refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500));
			Receipt second = refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500));

			assertThat(second).isEqualTo(first);
			assertThat(refunds.executions()).hasValue(1);
		});
	}

	@Test
	void aScopeKeepsTheSameKeyOfTwoTenantsApart() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);

			refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500));
			refunds.refund("msg-1", "merchant-b", new RefundRequest("pay_1", 500));

			assertThat(refunds.executions()).hasValue(2);
		});
	}

	@Test
	void theSameKeyWithOtherArgumentsIsAReusedKey() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);
			refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500));

			assertThatExceptionOfType(IdempotencyKeyReusedException.class)
				.isThrownBy(() -> refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 700)));
			assertThat(refunds.executions()).hasValue(1);
		});
	}

	@Test
	void aFailedCallFreesTheKeySoARedeliveryRunsIt() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);
			refunds.failNext();

			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500)));
			refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500));

			assertThat(refunds.executions()).hasValue(2);
		});
	}

	@Test
	void aDuplicateOfARunningCallIsRefusedSoABrokerRedeliversLater() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);
			CountDownLatch hold = refunds.hold();
			CompletableFuture<Receipt> first = CompletableFuture
				.supplyAsync(() -> refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500)));
			refunds.started().await(5, TimeUnit.SECONDS);

			assertThatExceptionOfType(IdempotencyInFlightException.class)
				.isThrownBy(() -> refunds.refund("msg-1", "merchant-a", new RefundRequest("pay_1", 500)));
			hold.countDown();
			first.get(5, TimeUnit.SECONDS);
			assertThat(refunds.executions()).hasValue(1);
		});
	}

	@Test
	void voidMethodsAreSkippedOnDuplicatesAndGenericResultsReadBack() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);

			refunds.notify("evt-1");
			refunds.notify("evt-1");
			List<Receipt> first = refunds.history("h-1");
			List<Receipt> replayed = refunds.history("h-1");

			assertThat(refunds.notifications()).hasValue(1);
			assertThat(replayed).isEqualTo(first).first().isInstanceOf(Receipt.class);
		});
	}

	@Test
	void theResultIsStoredAfterTheMethodsTransactionCommittedAndARollbackFreesTheKey() {
		runner.withBean(TransactionObserver.class).run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			jdbc.execute("create table if not exists refunds (id varchar(64) primary key)");

			refunds.write("w-1", false);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> refunds.write("w-2", true));
			refunds.write("w-2", false);

			assertThat(context.getBean(TransactionObserver.class).completionsInsideATransaction).hasValue(0);
			assertThat(jdbc.queryForObject("select count(*) from refunds", Integer.class)).isEqualTo(2);
			assertThat(refunds.writes()).hasValue(3);
		});
	}

	@Test
	void eachRetryClaimsAfreshAndOnlyTheSuccessfulAttemptsResultIsStored() {
		runner.withUserConfiguration(Resilience.class).run((context) -> {
			FlakyGateway gateway = context.getBean(FlakyGateway.class);

			String first = gateway.charge("k-1");
			String duplicate = gateway.charge("k-1");

			assertThat(first).isEqualTo("charged on attempt 3");
			assertThat(duplicate).isEqualTo(first);
			assertThat(gateway.attempts()).hasValue(3);
			assertThat(context.getBean(CompletionRecorder.class).completions).containsExactly(Completion.RELEASED_ERROR,
					Completion.RELEASED_ERROR, Completion.STORED);
		});
	}

	@Test
	void aScheduledJobKeyedByItsRunRunsOncePerRunHoweverOftenItFires() {
		runner.withUserConfiguration(Scheduling.class).run((context) -> {
			NightlyJob job = context.getBean(NightlyJob.class);
			OutcomeRecorder outcomes = context.getBean(OutcomeRecorder.class);

			await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.replayed.get() >= 4);

			assertThat(job.runs()).hasValue(1);
		});
	}

	@Test
	void aRabbitListenerRejectsWithoutRequeueWhatARedeliveryCannotChange() {
		runner.withBean(RefundListener.class).run((context) -> {
			RefundListener listener = context.getBean(RefundListener.class);
			listener.onMessage("msg-1", new RefundRequest("pay_1", 500));

			assertThatExceptionOfType(AmqpRejectAndDontRequeueException.class)
				.isThrownBy(() -> listener.onMessage(null, new RefundRequest("pay_1", 500)))
				.withCauseInstanceOf(IdempotencyKeyMissingException.class);
			assertThatExceptionOfType(AmqpRejectAndDontRequeueException.class)
				.isThrownBy(() -> listener.onMessage("msg-1", new RefundRequest("pay_1", 900)))
				.withCauseInstanceOf(IdempotencyKeyReusedException.class);
		});
	}

	@Test
	void theRunningOperationIsVisibleToTheMethod() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);

			assertThat(refunds.currentKey("k-1")).isEqualTo("k-1");
		});
	}

	@Test
	void controllersAreLeftToTheWebAdapter() {
		runner.withBean(WebhookController.class).run((context) -> {
			assertThat(AopUtils.isAopProxy(context.getBean(WebhookController.class))).isFalse();
			assertThat(AopUtils.isAopProxy(context.getBean(Refunds.class))).isTrue();
		});
	}

	@Test
	void aMethodWithoutAKeyExpressionFailsWithAClearMessage() {
		runner.withBean(Keyless.class).run((context) -> {
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> context.getBean(Keyless.class).run("x"))
				.withMessageContaining("needs a key expression");
		});
	}

	@Test
	void anEmptyKeyIsRefusedRatherThanRunWithoutProtection() {
		runner.run((context) -> {
			Refunds refunds = context.getBean(Refunds.class);

			assertThatExceptionOfType(IdempotencyKeyMissingException.class)
				.isThrownBy(() -> refunds.refund(null, "merchant-a", new RefundRequest("pay_1", 500)));
			assertThat(refunds.executions()).hasValue(0);
		});
	}

	record RefundRequest(String paymentId, long amount) {
	}

	record Receipt(String id, long amount) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		Refunds refunds(JdbcTemplate jdbc) {
			return new Refunds(jdbc);
		}

	}

	static class Refunds {

		final AtomicInteger executions = new AtomicInteger();

		final AtomicInteger notifications = new AtomicInteger();

		final AtomicInteger writes = new AtomicInteger();

		final CountDownLatch started = new CountDownLatch(1);

		volatile boolean failNext;

		volatile CountDownLatch hold;

		private final JdbcTemplate jdbc;

		Refunds(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		// Tests reach the state through methods: the bean they hold is a class proxy.

		public AtomicInteger executions() {
			return executions;
		}

		public AtomicInteger notifications() {
			return notifications;
		}

		public AtomicInteger writes() {
			return writes;
		}

		public CountDownLatch started() {
			return started;
		}

		public void failNext() {
			failNext = true;
		}

		public CountDownLatch hold() {
			hold = new CountDownLatch(1);
			return hold;
		}

		@Idempotent(key = "#messageId", scope = "#merchantId")
		public Receipt refund(String messageId, String merchantId, RefundRequest request) {
			executions.incrementAndGet();
			started.countDown();
			if (hold != null) {
				await(hold);
			}
			if (failNext) {
				failNext = false;
				throw new IllegalStateException("gateway timeout");
			}
			return new Receipt("re_" + executions.get(), request.amount());
		}

		private static void await(CountDownLatch latch) {
			try {
				latch.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Idempotent(key = "#p0")
		public void notify(String eventId) {
			notifications.incrementAndGet();
		}

		@Idempotent(key = "#id")
		public List<Receipt> history(String id) {
			return List.of(new Receipt("re_" + id, 1));
		}

		@Idempotent(key = "#id")
		@Transactional
		public String write(String id, boolean fail) {
			writes.incrementAndGet();
			jdbc.update("insert into refunds (id) values (?)", id);
			if (fail) {
				throw new IllegalStateException("rolled back");
			}
			return id;
		}

		@Idempotent(key = "#key")
		public String currentKey(String key) {
			return IdempotencyContext.current().orElseThrow().key().clientKey();
		}

	}

	/** Counts completions recorded while a transaction was still open. */
	static class TransactionObserver implements IdempotencyListener {

		final AtomicInteger completionsInsideATransaction = new AtomicInteger();

		@Override
		public void onCompletion(String endpoint, Completion completion) {
			if (TransactionSynchronizationManager.isActualTransactionActive()) {
				completionsInsideATransaction.incrementAndGet();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class Resilience {

		@Bean
		FlakyGateway flakyGateway() {
			return new FlakyGateway();
		}

		@Bean
		CompletionRecorder completionRecorder() {
			return new CompletionRecorder();
		}

	}

	/**
	 * @Retryable's proxy is outside ours: each attempt is a claim that completes.
	 */
	static class CompletionRecorder implements IdempotencyListener {

		final List<Completion> completions = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void onCompletion(String endpoint, Completion completion) {
			completions.add(completion);
		}

	}

	static class FlakyGateway {

		private final AtomicInteger attempts = new AtomicInteger();

		public AtomicInteger attempts() {
			return attempts;
		}

		@Idempotent(key = "#key")
		@Retryable(maxRetries = 2, delay = 10)
		public String charge(String key) {
			int attempt = attempts.incrementAndGet();
			if (attempt < 3) {
				throw new IllegalStateException("gateway timeout");
			}
			return "charged on attempt " + attempt;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Scheduling {

		@Bean
		NightlyJob nightlyJob() {
			return new NightlyJob();
		}

		@Bean
		OutcomeRecorder outcomeRecorder() {
			return new OutcomeRecorder();
		}

	}

	/** Fires every 50 ms; the key names the run (here, the day), so it runs once. */
	static class NightlyJob {

		private final AtomicInteger runs = new AtomicInteger();

		public AtomicInteger runs() {
			return runs;
		}

		@Scheduled(fixedRate = 50)
		@Idempotent(key = "T(java.time.LocalDate).now().toString()", name = "nightly-settlement")
		public void settle() {
			runs.incrementAndGet();
		}

	}

	static class OutcomeRecorder implements IdempotencyListener {

		final AtomicInteger replayed = new AtomicInteger();

		@Override
		public void onRequest(String endpoint, Outcome outcome) {
			if (outcome == Outcome.REPLAYED) {
				replayed.incrementAndGet();
			}
		}

	}

	/** Never started here (no broker): only the annotation matters. */
	static class RefundListener {

		@RabbitListener(queues = "refunds", autoStartup = "false")
		@Idempotent(key = "#messageId")
		public void onMessage(String messageId, RefundRequest request) {
		}

	}

	@RestController
	static class WebhookController {

		@Idempotent(key = "#body.id")
		@PostMapping("/webhooks")
		public String receive() {
			return "ok";
		}

	}

	static class Keyless {

		@Idempotent
		public String run(String value) {
			return value;
		}

	}

}
