package dev.idempotency.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.idempotency.sample.PaymentsApi.Response;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newEventId;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar the build packages, started as users start it in AOT mode
 * ({@code java -Dspring.aot.enabled=true -jar}), against real PostgreSQL and Redis
 * ({@link TestServers}): the code process-aot generated must start the whole app, and the
 * starter must replay a retried payment and webhook. Run by failsafe after
 * {@code package}; the jar's path is the system property {@code sample.jar}, the app's
 * output goes to {@code sample-payments-app-aot.log} beside it.
 */
class AotProcessedJarRealServersIT {

	private static @Nullable Process app;

	private static @Nullable Path log;

	private static PaymentsApi api;

	@BeforeAll
	static void startTheJarInAotMode() throws Exception {
		String jar = System.getProperty("sample.jar");
		assertThat(jar).as("system property sample.jar").isNotNull();
		assertThat(new File(jar)).as(jar).isFile();
		JdbcServer postgres = TestServers.postgres();
		int port = freePort();
		log = Path.of(jar).resolveSibling("sample-payments-app-aot.log");
		List<String> command = List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
				"-Dspring.aot.enabled=true", "-jar", jar, "--server.port=" + port,
				"--" + RealServersTestSupport.NO_EMBEDDED_SERVERS, "--spring.datasource.url=" + postgres.jdbcUrl(),
				"--spring.datasource.username=" + postgres.username(),
				"--spring.datasource.password=" + postgres.password(),
				"--spring.data.redis.url=" + TestServers.redisUrl(), "--payments.gateway.latency=10ms");
		app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		api = new PaymentsApi(port);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(app.isAlive()).as("the app exited:%n%s", log()).isTrue();
			return isUp();
		});
	}

	@AfterAll
	static void stopTheApp() throws InterruptedException {
		if (app != null) {
			app.destroy();
			if (!app.waitFor(20, TimeUnit.SECONDS)) {
				app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void startsFromTheCodeSpringAotGenerated() {
		assertThat(log()).contains("Starting AOT-processed PaymentsApplication");
	}

	@Test
	void aRetriedPaymentIsReplayed() {
		String key = newKey();
		String customer = newCustomer();
		Response first = api.createPayment(MERCHANT_A_KEY, key, payment(2500, customer));
		Response retry = api.createPayment(MERCHANT_A_KEY, key, payment(2500, customer));
		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(first.replayed()).isFalse();
		assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
		assertThat(api.get(first.header("Location"), MERCHANT_A_KEY).status()).isEqualTo(200);
	}

	@Test
	void aRedeliveredWebhookKeyedByItsBodyIsReplayed() {
		Response payment = api.createPayment(MERCHANT_A_KEY, newKey(), payment(4000, newCustomer()));
		String event = PaymentsApi.gatewayEvent(newEventId(), "charge.refunded", payment.field("id"));
		Response first = api.deliver(event, PaymentsApi.signature(event));
		Response again = api.deliver(event, PaymentsApi.signature(event));
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.replayed()).isFalse();
		assertThat(again.status()).as(again.toString()).isEqualTo(200);
		assertThat(again.replayed()).isTrue();
		assertThat(again.body()).isEqualTo(first.body());
	}

	@Test
	void countsReplaysInItsMetrics() {
		String key = newKey();
		String customer = newCustomer();
		api.createPayment(MERCHANT_A_KEY, key, payment(1200, customer));
		api.createPayment(MERCHANT_A_KEY, key, payment(1200, customer));
		Response metrics = api.get("/actuator/prometheus", null);
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).containsPattern("idempotency_requests_total\\{[^}]*outcome=\"hit\"[^}]*\\} [1-9]");
	}

	private static boolean isUp() {
		try {
			Response health = api.get("/actuator/health", null);
			return health.status() == 200 && health.body().contains("\"status\":\"UP\"");
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	private static String log() {
		try {
			return (log != null) ? Files.readString(log, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
