package dev.idempotency.sample;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.idempotency.sample.PaymentsApi.Response;
import dev.idempotency.sample.webhook.GatewayEvent;
import dev.idempotency.testservers.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.aot.DisabledInAotMode;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.gatewayEvent;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newEventId;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static dev.idempotency.sample.PaymentsApi.signature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's webhook over real HTTP, on real PostgreSQL and Redis: signed events are
 * applied once per event id, however often and however concurrently they are delivered,
 * and across a restart; unsigned ones are refused before anything is stored.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS, "payments.gateway.latency=10ms" })
class WebhooksRealServersTests extends RealServersTestSupport {

	private static final String PROBLEM = "https://idempotency.dev/sample/problems/";

	private static final String PROCESSED = "payments.webhooks.processed";

	@Test
	void deliveriesWithoutAValidSignatureAre401AndStoreNothing() {
		String paymentId = newPayment();
		String event = gatewayEvent(newEventId(), GatewayEvent.CHARGE_REFUNDED, paymentId);
		double before = processed();
		Response unsigned = api.deliver(event, null);
		Response forged = api.deliver(event, "sha256=" + "0".repeat(64));
		Response signedForAnotherBody = api.deliver(event,
				signature(gatewayEvent(newEventId(), GatewayEvent.CHARGE_REFUNDED, paymentId)));
		for (Response refused : List.of(unsigned, forged, signedForAnotherBody)) {
			assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.field("type")).isEqualTo(PROBLEM + "invalid-signature");
		}
		assertThat(processed()).isEqualTo(before);
		assertThat(paymentStatus(paymentId)).isEqualTo("succeeded");
		Response delivered = api.deliver(event, signature(event));
		assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
		assertThat(delivered.replayed()).isFalse();
		assertThat(delivered.field("action")).isEqualTo("refunded");
		assertThat(processed() - before).isEqualTo(1);
		assertThat(paymentStatus(paymentId)).isEqualTo("refunded");
	}

	@Test
	void eventDeliveredThreeTimesIsAppliedOnce() {
		String paymentId = newPayment();
		String event = gatewayEvent(newEventId(), GatewayEvent.CHARGE_REFUNDED, paymentId);
		double before = processed();
		Response first = api.deliver(event, signature(event));
		Response second = api.deliver(event, signature(event));
		Response third = api.deliver(event, signature(event));
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.replayed()).isFalse();
		assertThat(first.field("paymentStatus")).isEqualTo("refunded");
		for (Response again : List.of(second, third)) {
			assertThat(again.status()).isEqualTo(200);
			assertThat(again.replayed()).isTrue();
			assertThat(again.body()).isEqualTo(first.body());
		}
		assertThat(processed() - before).isEqualTo(1);
		assertThat(paymentStatus(paymentId)).isEqualTo("refunded");
		assertThat(paymentVersion(paymentId)).isEqualTo(1);
	}

	@Test
	void eventDeliveredThreeTimesAtOnceIsAppliedOnceAndAllGetItsAnswer() throws Exception {
		String paymentId = newPayment();
		String event = gatewayEvent(newEventId(), GatewayEvent.DISPUTE_CREATED, paymentId);
		double before = processed();
		ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			List<Future<Response>> deliveries;
			try (RowLock lock = lockPayment(paymentId)) {
				deliveries = List.of(pool.submit(() -> api.deliver(event, signature(event))),
						pool.submit(() -> api.deliver(event, signature(event))),
						pool.submit(() -> api.deliver(event, signature(event))));
				// the first delivery waits for the payment's row, holding the event's
				// key;
				// give the two others the time to find it in flight and wait for it
				await().atMost(Duration.ofSeconds(10)).until(() -> sessionsWaitingForPayments() >= 1);
				Thread.sleep(500);
				assertThat(deliveries).noneMatch(Future::isDone);
			}
			List<Response> responses = deliveries.stream().map(PaymentsApi::join).toList();
			assertThat(responses).allSatisfy((r) -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
			assertThat(responses).extracting(Response::body).containsOnly(responses.get(0).body());
			assertThat(responses).filteredOn((r) -> !r.replayed()).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(processed() - before).isEqualTo(1);
		Response payment = api.get("/api/v1/payments/" + paymentId, MERCHANT_A_KEY);
		assertThat(payment.json().get("disputed").asBoolean()).isTrue();
		assertThat(payment.field("status")).isEqualTo("succeeded");
		assertThat(paymentVersion(paymentId)).isEqualTo(1);
	}

	@Test
	void eventForAnUnknownPaymentIsA404ThatIsNotStored() {
		String event = gatewayEvent(newEventId(), GatewayEvent.CHARGE_REFUNDED,
				"pay_" + UUID.randomUUID().toString().replace("-", ""));
		double before = processed();
		Response first = api.deliver(event, signature(event));
		Response again = api.deliver(event, signature(event));
		for (Response response : List.of(first, again)) {
			assertThat(response.status()).as(response.toString()).isEqualTo(404);
			assertThat(response.field("type")).isEqualTo(PROBLEM + "not-found");
			assertThat(response.replayed()).isFalse();
		}
		assertThat(processed()).isEqualTo(before);
	}

	@Test
	@DisabledInAotMode("starts a second instance of the app in this JVM with SpringApplicationBuilder, which in AOT "
			+ "mode needs the app's own generated initializer: process-aot writes it after the tests; "
			+ "AotProcessedJarRealServersIT starts the app in AOT mode")
	void redeliveryToARestartedAppIsReplayedFromTheStore() {
		String paymentId = newPayment();
		String event = gatewayEvent(newEventId(), GatewayEvent.CHARGE_REFUNDED, paymentId);
		Response first = api.deliver(event, signature(event));
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		double before = processed();
		try (ConfigurableApplicationContext restarted = restartedApp()) {
			Environment environment = restarted.getEnvironment();
			PaymentsApi restartedApi = new PaymentsApi(environment.getRequiredProperty("local.server.port", int.class));
			Response redelivered = restartedApi.deliver(event, signature(event));
			assertThat(redelivered.status()).isEqualTo(200);
			assertThat(redelivered.replayed()).isTrue();
			assertThat(redelivered.body()).isEqualTo(first.body());
			assertThat(restarted.getBean(MeterRegistry.class).get(PROCESSED).counter().count()).isZero();
		}
		assertThat(processed()).isEqualTo(before);
		assertThat(paymentVersion(paymentId)).isEqualTo(1);
	}

	/**
	 * A second instance of the app, as after a restart: the same PostgreSQL and Redis,
	 * its own memory.
	 */
	private ConfigurableApplicationContext restartedApp() {
		return new SpringApplicationBuilder(PaymentsApplication.class).run("--server.port=0",
				"--" + NO_EMBEDDED_SERVERS, "--payments.gateway.latency=10ms",
				"--spring.datasource.url=" + dataSourceUrl(),
				"--spring.datasource.username=" + TestServers.postgres().username(),
				"--spring.datasource.password=" + TestServers.postgres().password(),
				"--spring.data.redis.url=" + TestServers.redisUrl());
	}

	private String dataSourceUrl() {
		return TestServers.postgres().jdbcUrl();
	}

	private String newPayment() {
		Response created = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer()));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.field("id");
	}

	private String paymentStatus(String paymentId) {
		return api.get("/api/v1/payments/" + paymentId, MERCHANT_A_KEY).field("status");
	}

	private long paymentVersion(String paymentId) {
		return jdbc.sql("select version from payments where id = ?").param(paymentId).query(Long.class).single();
	}

	private double processed() {
		return meters.get(PROCESSED).counter().count();
	}

}
