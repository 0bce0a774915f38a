package dev.idempotency.sample;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.sample.PaymentsApi.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer that dies mid-message: another instance of the app, in its own JVM, takes
 * the refund request, claims its key and is killed with SIGKILL while it waits on the
 * gateway. The broker redelivers the message to this instance. With separate commits, its
 * first attempts meet the dead owner's lock (in flight: requeued) until it lapses, since
 * nobody renews it any more; in one transaction (the sample's default), the database
 * aborted the dead owner's transaction with its claim, so the refund runs at once. Either
 * way it is made once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS,
		"payments.gateway.latency=10ms", "payments.refund-requests.enabled=true" })
class ListenerCrashRealServersTests extends RealServersTestSupport {

	private static final String QUEUE = "payments.refund-requests.crash-" + UUID.randomUUID();

	private static @Nullable AmqpAdmin admin;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private RabbitListenerEndpointRegistry listeners;

	@Autowired
	private IdempotencyStore store;

	@Autowired
	private Environment environment;

	private @Nullable Process otherInstance;

	@DynamicPropertySource
	static void broker(DynamicPropertyRegistry registry) {
		TestBroker.Address broker = TestBroker.rabbitMq();
		registry.add("spring.rabbitmq.host", broker::host);
		registry.add("spring.rabbitmq.port", broker::port);
		registry.add("spring.rabbitmq.username", broker::username);
		registry.add("spring.rabbitmq.password", broker::password);
		registry.add("payments.refund-requests.queue", () -> QUEUE);
		registry.add("payments.refund-requests.dead-letter", broker::deadLettering);
	}

	@Autowired
	void keepAdmin(AmqpAdmin amqpAdmin) {
		admin = amqpAdmin;
	}

	@AfterEach
	void killOtherInstance() throws InterruptedException {
		if (otherInstance != null) {
			otherInstance.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		listeners.start();
	}

	@AfterAll
	static void deleteQueues() {
		if (admin != null) {
			admin.deleteQueue(QUEUE);
			if (TestBroker.rabbitMq().deadLettering()) {
				admin.deleteQueue(QUEUE + ".dead-letter");
			}
		}
	}

	@Nested
	@TestPropertySource(properties = "idempotency.atomicity=separate")
	class WithSeparateCommits {

		@Test
		void aConsumerKilledMidMessageLeavesOneRefundOnceItsLockLapses() throws Exception {
			killedMidMessage(Duration.ofSeconds(2), (key) -> isInFlight(store.find(key)));
		}

	}

	@Nested
	class InOneTransaction {

		/**
		 * The lock timeout is far longer than the test may take: the refund cannot wait
		 * for it. The claim is invisible until its commit; the dead owner's advisory lock
		 * on the key shows that it was mid-message.
		 */
		@Test
		void aConsumerKilledMidMessageLeavesOneRefundWithoutWaitingForItsLock() throws Exception {
			killedMidMessage(Duration.ofMinutes(10), (key) -> holdsKeyLock(key));
		}

	}

	private void killedMidMessage(Duration lockTimeout, Predicate<IdempotencyKey> midMessage) throws Exception {
		String paymentId = newPayment();
		String messageId = "msg-" + UUID.randomUUID();
		IdempotencyKey key = new IdempotencyKey("merchant-a", "refund-requests", messageId);
		double processedBefore = processed();
		listeners.stop();
		otherInstance = startOtherInstance(lockTimeout);

		publish(messageId, paymentId);
		// A second JVM starts the whole app: slow on a busy two-core machine.
		await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(() -> midMessage.test(key));
		otherInstance.destroyForcibly();
		assertThat(otherInstance.waitFor(10, TimeUnit.SECONDS)).isTrue();
		listeners.start();

		await().atMost(Duration.ofSeconds(30)).until(() -> processed() - processedBefore == 1);
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.until(() -> admin.getQueueInfo(QUEUE).getMessageCount() == 0);
		assertThat(processed() - processedBefore).isEqualTo(1);
		assertThat(refundRows(paymentId)).isEqualTo(1);
		assertThat(store.find(key)).hasValueSatisfying((record) -> assertThat(record.response()).isNotNull());
	}

	private boolean holdsKeyLock(IdempotencyKey key) {
		long locks = jdbc
			.sql("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = CAST(? AS oid)")
			.param(Integer.toUnsignedLong(key.digest().hashCode()))
			.query(Long.class)
			.single();
		return locks > 0;
	}

	private static boolean isInFlight(Optional<IdempotencyRecord> record) {
		return record.isPresent() && record.get().response() == null;
	}

	/** The same app, in a JVM of its own, whose gateway never answers. */
	private Process startOtherInstance(Duration lockTimeout) throws Exception {
		TestBroker.Address broker = TestBroker.rabbitMq();
		List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-cp", System.getProperty("java.class.path"), PaymentsApplication.class.getName(), "--server.port=0",
				"--" + RealServersTestSupport.NO_EMBEDDED_SERVERS,
				"--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
				"--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
				"--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
				"--spring.data.redis.url=" + environment.getProperty("spring.data.redis.url"),
				"--spring.rabbitmq.host=" + broker.host(), "--spring.rabbitmq.port=" + broker.port(),
				"--spring.rabbitmq.username=" + broker.username(), "--spring.rabbitmq.password=" + broker.password(),
				"--payments.refund-requests.enabled=true", "--payments.refund-requests.queue=" + QUEUE,
				"--payments.refund-requests.dead-letter=" + broker.deadLettering(), "--payments.gateway.latency=1h",
				"--idempotency.lock-timeout=" + lockTimeout.toSeconds() + "s",
				"--idempotency.atomicity=" + environment.getProperty("idempotency.atomicity")));
		File log = new File("target/listener-crash-other-instance.log");
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log))
			.start();
	}

	private void publish(String messageId, String paymentId) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setMessageId(messageId);
		properties.setHeader("merchant-id", "merchant-a");
		String body = "{\"paymentId\": \"" + paymentId + "\", \"amount\": 400, \"reason\": \"requested_by_customer\"}";
		rabbit.send("", QUEUE, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	private String newPayment() {
		Response created = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer()));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.field("id");
	}

	private double processed() {
		return meters.get("payments.refunds.processed").counter().count();
	}

}
