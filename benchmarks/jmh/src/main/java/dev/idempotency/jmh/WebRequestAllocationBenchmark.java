package dev.idempotency.jmh;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.idempotency.Idempotent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What one HTTP request allocates, client and server together, with and without
 * {@code @Idempotent}: a minimal Spring Boot application on embedded Tomcat (random port)
 * with the starter's auto-configuration, and two endpoints that read the same small JSON
 * body and answer 201 with the same small JSON body, {@code POST /plain} and
 * {@code POST /idempotent}. Requests go from the benchmark thread through one shared JDK
 * {@link HttpClient} (HTTP/1.1, one kept-alive connection).
 *
 * <p>
 * Run with {@code -prof gc} ({@code benchmarks/jmh/run.sh --alloc}): JMH's
 * {@code gc.alloc.rate.norm} counts every thread of the JVM (it reads the JVM's total of
 * allocated bytes), so it is the client's, Tomcat's and the starter's allocation per
 * request; the idempotent benchmarks minus {@link #plain()} are the starter's. The time
 * per request is on a noisy shared machine and only indicative.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WebRequestAllocationBenchmark {

	private static final String REQUEST_BODY = "{\"amount\":10000,\"currency\":\"USD\",\"customerId\":\"cust-alice\",\"description\":\"x\"}";

	private static final String KEY_HEADER = "Idempotency-Key";

	private static final List<String> JDBC = List
		.of("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");

	private static final List<String> REDIS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration");

	/** {@code idempotency.store.type}: {@code in-memory}, or {@code redis} (Servers). */
	@Param({ "in-memory", "redis" })
	public String store;

	/** {@code idempotency.response.max-body-size}. */
	@Param({ "1MB", "8MB" })
	public String maxBodySize;

	private ConfigurableApplicationContext application;

	private HttpClient client;

	private HttpRequest plain;

	private HttpRequest replay;

	private URI idempotent;

	private String run;

	private long counter;

	@Setup(Level.Trial)
	public void start() throws IOException, InterruptedException {
		List<String> excluded = new ArrayList<>(JDBC);
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--logging.level.root=warn", "--idempotency.store.type=" + this.store,
				"--idempotency.response.max-body-size=" + this.maxBodySize));
		if ("redis".equals(this.store)) {
			// The store's 500 ms connect timeout is too short on a loaded shared machine.
			args.add("--spring.data.redis.url=" + Servers.redisUrl());
			args.add("--idempotency.redis.timeout=" + Servers.TIMEOUT.toMillis() + "ms");
		}
		else {
			excluded.addAll(REDIS);
		}
		args.add("--spring.autoconfigure.exclude=" + String.join(",", excluded));
		this.application = SpringApplication.run(App.class, args.toArray(String[]::new));
		String base = "http://127.0.0.1:" + this.application.getEnvironment().getProperty("local.server.port");
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		this.plain = post(URI.create(base + "/plain")).build();
		this.idempotent = URI.create(base + "/idempotent");
		this.run = "jmh-" + Servers.runId() + "-";
		this.replay = post(this.idempotent).header(KEY_HEADER, this.run + "replay").build();
		send(this.replay);
		if (!"true".equals(send(this.replay).headers().firstValue("Idempotent-Replayed").orElse(null))) {
			throw new IllegalStateException("The second request with the same key was not a replay");
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.client = null;
		this.application.close();
	}

	/** The same handler without {@code @Idempotent}, and no key header. */
	@Benchmark
	public HttpResponse<byte[]> plain() throws IOException, InterruptedException {
		return send(this.plain);
	}

	/** A new key: claim, run the handler, capture and store the response. */
	@Benchmark
	public HttpResponse<byte[]> idempotentNewKey() throws IOException, InterruptedException {
		return send(post(this.idempotent).header(KEY_HEADER, this.run + (this.counter++)).build());
	}

	/** The key of a completed request: the stored response, the handler not run. */
	@Benchmark
	public HttpResponse<byte[]> idempotentReplay() throws IOException, InterruptedException {
		return send(this.replay);
	}

	private static HttpRequest.Builder post(URI uri) {
		return HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(REQUEST_BODY));
	}

	private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = this.client.send(request, BodyHandlers.ofByteArray());
		if (response.statusCode() != 201) {
			throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
					+ new String(response.body(), StandardCharsets.UTF_8));
		}
		return response;
	}

	/** The application: auto-configuration and the two endpoints. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Endpoints.class)
	public static class App {

	}

	@RestController
	static class Endpoints {

		@PostMapping("/plain")
		ResponseEntity<Payment> plain(@RequestBody PaymentRequest request) {
			return created(request);
		}

		@Idempotent
		@PostMapping("/idempotent")
		ResponseEntity<Payment> idempotent(@RequestBody PaymentRequest request) {
			return created(request);
		}

		private static ResponseEntity<Payment> created(PaymentRequest request) {
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(new Payment("pay_123", request.amount(), request.currency(), request.customerId(), "succeeded"));
		}

	}

	/** The request body. */
	public record PaymentRequest(long amount, String currency, String customerId, String description) {
	}

	/** The response body, ~100 bytes of JSON. */
	public record Payment(String id, long amount, String currency, String customerId, String status) {
	}

}
