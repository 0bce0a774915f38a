package dev.idempotency.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.idempotency.sample.PaymentsApi.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refund requests through a real AMQP broker ({@link TestBroker}: RabbitMQ, or an
 * embedded Qpid), on real PostgreSQL and Redis: one refund per message id under
 * redelivery. Each run uses queues of its own, deleted afterwards, so that runs sharing a
 * broker never take each other's messages.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS,
		"payments.gateway.latency=10ms", "payments.refund-requests.enabled=true" })
class RefundRequestsRealServersTests extends RealServersTestSupport {

	private static final String QUEUE = "payments.refund-requests.test-" + UUID.randomUUID();

	private static final String DEAD_LETTER_QUEUE = QUEUE + ".dead-letter";

	private static final String PROCESSED = "payments.refunds.processed";

	private static final String IN_FLIGHT = "payments.refunds.in-flight";

	private static final String REJECTED = "payments.refunds.rejected";

	private static @Nullable AmqpAdmin admin;

	@Autowired
	private RabbitTemplate rabbit;

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

	@AfterAll
	static void deleteQueues() {
		if (admin != null) {
			admin.deleteQueue(QUEUE);
			if (TestBroker.rabbitMq().deadLettering()) {
				admin.deleteQueue(DEAD_LETTER_QUEUE);
			}
		}
	}

	@Test
	void sameMessagePublishedTwiceRefundsOnce() {
		String paymentId = newPayment();
		String messageId = newMessageId();
		double processedBefore = count(PROCESSED);
		double refundsBefore = refunds();
		publish(messageId, "merchant-a", refundRequest(paymentId, 500));
		publish(messageId, "merchant-a", refundRequest(paymentId, 500));
		await().atMost(Duration.ofSeconds(20)).until(() -> count(PROCESSED) - processedBefore == 1);
		awaitQueueDrained();
		assertThat(count(PROCESSED) - processedBefore).isEqualTo(1);
		assertThat(refunds() - refundsBefore).isEqualTo(1);
		assertOneRefundOf(paymentId, 500);
	}

	@Test
	void deliveryThatFailsIsRequeuedAndRefundsOnceWhenRedelivered() {
		String paymentId = newPayment();
		String messageId = newMessageId();
		double processedBefore = count(PROCESSED);
		gateway.failNextCalls(1);
		publish(messageId, "merchant-a", refundRequest(paymentId, 700));
		await().atMost(Duration.ofSeconds(20)).until(() -> count(PROCESSED) - processedBefore == 1);
		awaitQueueDrained();
		assertThat(count(PROCESSED) - processedBefore).isEqualTo(1);
		// the failed call and the successful one, with the same derived key
		List<String> keys = keysSentForRefundsOf(chargeIdOf(paymentId));
		assertThat(keys).hasSize(2);
		assertThat(keys.get(1)).isEqualTo(keys.get(0));
		assertOneRefundOf(paymentId, 700);
	}

	@Test
	void redeliveryWhileTheFirstDeliveryRunsRefundsOnce() throws Exception {
		String paymentId = newPayment();
		String messageId = newMessageId();
		double processedBefore = count(PROCESSED);
		double inFlightBefore = count(IN_FLIGHT);
		try (RowLock lock = lockPayment(paymentId)) {
			publish(messageId, "merchant-a", refundRequest(paymentId, 300));
			await().atMost(Duration.ofSeconds(10)).until(() -> sessionsWaitingForPayments() >= 1);
			publish(messageId, "merchant-a", refundRequest(paymentId, 300));
			// the duplicate meets the first in flight and goes back to the queue, again
			// and again while the first waits
			await().atMost(Duration.ofSeconds(10)).until(() -> count(IN_FLIGHT) - inFlightBefore >= 2);
			assertThat(count(PROCESSED)).isEqualTo(processedBefore);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> count(PROCESSED) - processedBefore == 1);
		awaitQueueDrained();
		assertThat(count(PROCESSED) - processedBefore).isEqualTo(1);
		assertThat(keysSentForRefundsOf(chargeIdOf(paymentId))).hasSize(1);
		assertOneRefundOf(paymentId, 300);
	}

	@Test
	void messagesThatCanNeverSucceedAreRejectedNotRequeued() {
		String paymentId = newPayment();
		double processedBefore = count(PROCESSED);
		double rejectedBefore = count(REJECTED);
		String noMerchant = newMessageId();
		publish(null, "merchant-a", refundRequest(paymentId, 100));
		publish(noMerchant, null, refundRequest(paymentId, 100));
		publish(newMessageId(), "merchant-a", refundRequest(paymentId, -5));
		publish(newMessageId(), "merchant-b", refundRequest(paymentId, 100));
		// each is rejected once: a requeued one would come back and be rejected again
		await().atMost(Duration.ofSeconds(20)).until(() -> count(REJECTED) - rejectedBefore >= 4);
		awaitQueueDrained();
		await().during(Duration.ofSeconds(1)).until(() -> count(REJECTED) - rejectedBefore == 4);
		assertThat(count(PROCESSED)).isEqualTo(processedBefore);
		assertThat(refundRows(paymentId)).isZero();
		if (TestBroker.rabbitMq().deadLettering()) {
			List<Message> dead = new ArrayList<>();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				Message message = rabbit.receive(DEAD_LETTER_QUEUE, 100);
				if (message != null) {
					dead.add(message);
				}
				return dead.size() == 4;
			});
			assertThat(dead).extracting((message) -> new String(message.getBody(), StandardCharsets.UTF_8))
				.allMatch((body) -> body.contains(paymentId));
			assertThat(dead).extracting((message) -> message.getMessageProperties().getMessageId())
				.contains(noMerchant);
		}
	}

	private void publish(@Nullable String messageId, @Nullable String merchantId, String body) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		if (messageId != null) {
			properties.setMessageId(messageId);
		}
		if (merchantId != null) {
			properties.setHeader("merchant-id", merchantId);
		}
		rabbit.send("", QUEUE, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	private void awaitQueueDrained() {
		await().atMost(Duration.ofSeconds(20))
			.during(Duration.ofMillis(500))
			.until(() -> admin.getQueueInfo(QUEUE).getMessageCount() == 0);
	}

	private void assertOneRefundOf(String paymentId, long amount) {
		Response refunds = api.get("/api/v1/payments/" + paymentId + "/refunds", MERCHANT_A_KEY);
		assertThat(refunds.status()).as(refunds.toString()).isEqualTo(200);
		assertThat(refunds.json().size()).isEqualTo(1);
		assertThat(refunds.json().get(0).get("amount").asLong()).isEqualTo(amount);
		assertThat(refundRows(paymentId)).isEqualTo(1);
	}

	private String newPayment() {
		Response created = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer()));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.field("id");
	}

	private double count(String counter) {
		return meters.get(counter).counter().count();
	}

	private static String newMessageId() {
		return "msg-" + UUID.randomUUID();
	}

	private static String refundRequest(String paymentId, long amount) {
		return "{\"paymentId\": \"" + paymentId + "\", \"amount\": " + amount
				+ ", \"reason\": \"requested_by_customer\"}";
	}

}
