package dev.idempotency.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyOperationsAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyPropagationAutoConfiguration;
import dev.idempotency.operation.IdempotencyTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Calls made inside an idempotent operation through the application's
 * {@code WebClient.Builder} carry the same derived keys as {@code RestClient} calls, over
 * real HTTP to a local server that records the header it receives.
 */
class IdempotencyKeyExchangeFilterTests {

	private static final String NONE = "none";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, IdempotencyAutoConfiguration.class,
				IdempotencyOperationsAutoConfiguration.class, IdempotencyPropagationAutoConfiguration.class,
				WebClientAutoConfiguration.class, RestClientAutoConfiguration.class))
		.withPropertyValues("idempotency.store.type=in-memory", "idempotency.propagation.enabled=true",
				"idempotency.propagation.hosts=localhost");

	private final List<String> received = Collections.synchronizedList(new ArrayList<>());

	/** Requests still to answer 503, as a provider that is briefly down. */
	private final AtomicInteger failures = new AtomicInteger();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private HttpServer server;

	@BeforeEach
	void startServer() throws IOException {
		server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		server.createContext("/", this::answer);
		server.setExecutor(executor);
		server.start();
	}

	@AfterEach
	void stopServer() {
		server.stop(0);
		executor.shutdownNow();
	}

	@Test
	void blockingCallsInsideAnOperationGetStableDistinctDerivedKeys() {
		runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
			Runnable charge = () -> {
				post(client, url("localhost", "/charges"));
				post(client, url("localhost", "/charges"));
			};

			// The first attempt fails after its calls: the key is freed and the retry
			// runs.
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> template.call("payments", "client-key-1").run(() -> {
					charge.run();
					throw new IllegalStateException("timed out");
				}));
			template.call("payments", "client-key-1").run(charge);

			assertThat(received).hasSize(4).allMatch((key) -> key.startsWith("idem_") && !key.contains("client-key-1"));
			assertThat(received.get(0)).isNotEqualTo(received.get(1));
			assertThat(received.subList(2, 4)).containsExactlyElementsOf(received.subList(0, 2));
		});
	}

	@Test
	void webClientAndRestClientDeriveTheSameKeyForTheSameCall() {
		runner.run((context) -> {
			WebClient webClient = context.getBean(WebClient.Builder.class).build();
			RestClient restClient = context.getBean(RestClient.Builder.class).build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);

			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> template.call("payments", "k-mixed").run(() -> {
					post(webClient, url("localhost", "/charges"));
					throw new IllegalStateException("timed out");
				}));
			template.call("payments", "k-mixed")
				.run(() -> restClient.post().uri(url("localhost", "/charges")).retrieve().toBodilessEntity());

			assertThat(received).hasSize(2).doesNotContain(NONE);
			assertThat(received.get(1)).isEqualTo(received.get(0));
		});
	}

	@Test
	void aRetryOfOneRequestSendsTheSameKey() {
		runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);
			failures.set(1);

			template.call("payments", "k-retry")
				.run(() -> client.post()
					.uri(url("localhost", "/charges"))
					.retrieve()
					.toBodilessEntity()
					.retry(1)
					.block());

			assertThat(received).hasSize(2).doesNotContain(NONE);
			assertThat(received.get(1)).isEqualTo(received.get(0));
		});
	}

	@Test
	void requestsAssembledInsideTheOperationAreKeyedWhereverTheyAreSubscribed() {
		runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);

			template.call("payments", "k-threads").run(() -> {
				// retrieve() assembles the request here, on the operation's thread
				client.post()
					.uri(url("localhost", "/charges"))
					.retrieve()
					.toBodilessEntity()
					.subscribeOn(Schedulers.boundedElastic())
					.block();
				// exchangeToMono() assembles it when subscribed, on another thread: the
				// documented limit
				Mono.defer(() -> client.post()
					.uri(url("localhost", "/charges"))
					.exchangeToMono((response) -> response.releaseBody()))
					.subscribeOn(Schedulers.boundedElastic())
					.block();
			});

			assertThat(received).hasSize(2);
			assertThat(received.get(0)).startsWith("idem_");
			assertThat(received.get(1)).isEqualTo(NONE);
		});
	}

	@Test
	void callsOutsideAnOperationToOtherHostsSafeOrAlreadyKeyedAreLeftAlone() {
		runner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			IdempotencyTemplate template = context.getBean(IdempotencyTemplate.class);

			post(client, url("localhost", "/charges"));
			template.call("payments", "k2").run(() -> {
				post(client, url("127.0.0.1", "/charges"));
				client.get().uri(url("localhost", "/charges")).retrieve().toBodilessEntity().block();
				client.post()
					.uri(url("localhost", "/charges"))
					.header("Idempotency-Key", "mine")
					.retrieve()
					.toBodilessEntity()
					.block();
				post(client, url("localhost", "/charges"));
			});

			assertThat(received).hasSize(5);
			assertThat(received.subList(0, 4)).containsExactly(NONE, NONE, NONE, "mine");
			assertThat(received.get(4)).startsWith("idem_");
		});
	}

	@Test
	void webClientIsLeftAloneWithoutWebFlux() {
		runner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyKeyExchangeFilter.class)
				.hasSingleBean(IdempotencyKeyPropagation.class));
	}

	private static void post(WebClient client, String url) {
		client.post().uri(url).retrieve().toBodilessEntity().block();
	}

	private String url(String host, String path) {
		return "http://" + host + ":" + server.getAddress().getPort() + path;
	}

	private void answer(HttpExchange exchange) throws IOException {
		String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
		received.add((key != null) ? key : NONE);
		int status = (failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) ? 503 : 200;
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

}
