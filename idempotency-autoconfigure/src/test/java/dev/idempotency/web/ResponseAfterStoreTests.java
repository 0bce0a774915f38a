package dev.idempotency.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP on Tomcat: the client gets the response only after it is stored, so a
 * retry sent the moment the response arrives is a replay, never a 409. The store here is
 * slow to complete, which would let the client win the race if the body were sent first.
 */
@SpringBootTest(classes = { ProtocolTestApplication.class, ResponseAfterStoreTests.SlowStore.class },
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "idempotency.store.type=in-memory")
class ResponseAfterStoreTests {

	@LocalServerPort
	private int port;

	@Test
	void aRetrySentAsSoonAsTheResponseArrivesIsAReplay() throws Exception {
		ProtocolTestApplication.calls.set(0);
		String key = UUID.randomUUID().toString();
		HttpResponse<String> first = newClient().send(payment(key), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> retry = newClient().send(payment(key), HttpResponse.BodyHandlers.ofString());
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	/** A new client, so a new connection, per request: as separate processes would do. */
	private static HttpClient newClient() {
		return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	}

	private HttpRequest payment(String key) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/payments"))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":100}"))
			.build();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SlowStore {

		@Bean
		InMemoryIdempotencyStore slowToCompleteStore() {
			return new InMemoryIdempotencyStore() {

				@Override
				public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response,
						Duration retention) {
					try {
						Thread.sleep(400);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return super.complete(key, lockToken, response, retention);
				}

			};
		}

	}

}
