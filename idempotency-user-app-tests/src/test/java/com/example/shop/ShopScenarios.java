package com.example.shop;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol of the README, row by row, as the shop's clients see it over HTTP. A
 * subclass per store chooses {@code idempotency.store.type}; nothing else of the starter
 * is tuned, except a small storable response size for the large-response case. Every
 * handler writes with JPA, so counting rows counts executions.
 */
@TestPropertySource(properties = "idempotency.response.max-body-size=1KB")
abstract class ShopScenarios extends ShopRealServersTestSupport {

	@Test
	void firstOrderIsCreatedAndItsRetryIsReplayedByteForByte() {
		String key = newKey();
		String item = newItem();

		Exchange first = alice.postJson("/orders", key, order(item, 2));
		Exchange retry = alice.postJson("/orders", key, order(item, 2));

		assertThat(first.status()).as("first: %s", first).isEqualTo(201);
		assertThat(first.header("Location")).startsWith("/orders/");
		assertThat(first.text()).contains("\"item\":\"" + item + "\"");
		assertThat(first.replayed()).as("first: %s", first).isFalse();
		assertThat(retry.status()).as("retry: %s", retry).isEqualTo(201);
		assertThat(retry.replayed()).as("retry: %s", retry).isTrue();
		assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
		assertThat(retry.header("Content-Type")).isEqualTo(first.header("Content-Type"));
		assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
		assertThat(retry.header("Content-Length")).isEqualTo(first.header("Content-Length"));
		assertThat(retry.text()).isEqualTo(first.text());
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void sameKeyWithADifferentOrderIsRejectedAsKeyReused() {
		String key = newKey();
		String item = newItem();
		assertThat(alice.postJson("/orders", key, order(item, 1)).status()).isEqualTo(201);

		Exchange other = alice.postJson("/orders", key, order(item, 5));

		assertThat(other.status()).as("%s", other).isEqualTo(422);
		assertThat(other.header("Content-Type")).startsWith("application/problem+json");
		assertThat(other.problemType()).endsWith("/key-reused");
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void orderWithoutAKeyIsRejectedAsMissingKey() {
		String item = newItem();

		Exchange response = alice.postJson("/orders", null, order(item, 1));

		// Tomcat ends a forwarded response when the forward returns, before this
		// application's ETag and logging filters copy their cached bodies out, so no
		// forwarded body reaches the client here, with or without the starter: the status
		// and the problem's content type do.
		assertThat(response.status()).as("%s", response).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(orders.countByItem(item)).isZero();
	}

	static Stream<String> malformedKeys() {
		return Stream.of("\"\"", "tab\tinside", "k".repeat(256));
	}

	@ParameterizedTest
	@MethodSource("malformedKeys")
	void orderWithAMalformedKeyIsRejectedAsInvalidKey(String key) {
		String item = newItem();

		Exchange response = alice.postJson("/orders", key, order(item, 1));

		assertThat(response.status()).as("%s", response).isEqualTo(400);
		assertThat(response.problemType()).endsWith("/invalid-key");
		assertThat(orders.countByItem(item)).isZero();
	}

	@Test
	void sameKeyFromAnotherCustomerIsAnIndependentOrder() {
		String key = newKey();
		String item = newItem();

		Exchange fromAlice = alice.postJson("/orders", key, order(item, 1));
		Exchange fromBob = bob.postJson("/orders", key, order(item, 1));

		assertThat(fromAlice.status()).isEqualTo(201);
		assertThat(fromBob.status()).as("%s", fromBob).isEqualTo(201);
		assertThat(fromBob.replayed()).isFalse();
		assertThat(fromBob.header("Location")).isNotEqualTo(fromAlice.header("Location"));
		assertThat(fromBob.text()).contains("\"customer\":\"bob\"");
		assertThat(orders.countByItem(item)).isEqualTo(2);
	}

	@Test
	void concurrentDuplicatesCreateExactlyOneOrder() {
		String key = newKey();
		String item = newItem();

		List<Exchange> responses = Concurrently.run(8, (i) -> alice.postJson("/orders", key, order(item, 1)));

		List<Exchange> executed = responses.stream().filter((r) -> r.status() == 201 && !r.replayed()).toList();
		assertThat(executed).as("%s", responses).hasSize(1);
		for (Exchange other : responses) {
			if (other != executed.get(0)) {
				assertThat(other.status() == 409 || other.replayed()).as("%s", other).isTrue();
				if (other.status() == 409) {
					assertThat(other.problemType()).endsWith("/request-in-progress");
				}
				else {
					assertThat(other.text()).as("replay: %s", other).isEqualTo(executed.get(0).text());
					assertThat(other.body()).isEqualTo(executed.get(0).body());
				}
			}
		}
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void getOnAClassLevelIdempotentControllerNeedsNoKey() {
		Exchange response = alice.get("/reports?title=" + newItem(), null);

		assertThat(response.status()).as("%s", response).isEqualTo(200);
		assertThat(response.text()).contains("\"count\":0");
	}

	@Test
	void getOnAClassLevelIdempotentControllerIsNeverReplayed() {
		String title = newItem();
		String key = newKey();
		Exchange before = alice.get("/reports?title=" + title, key);
		assertThat(alice.postForm("/reports", newKey(), "title=" + title).status()).isEqualTo(200);

		Exchange after = alice.get("/reports?title=" + title, key);

		assertThat(before.text()).as("%s", before).contains("\"count\":0");
		assertThat(after.status()).as("%s", after).isEqualTo(200);
		assertThat(after.replayed()).as("%s", after).isFalse();
		assertThat(after.text()).contains("\"count\":1");
	}

	@Test
	void orderForwardedFromTheOldCheckoutIsProtectedByItsKey() {
		String key = newKey();
		String item = newItem();

		Exchange first = alice.postJson("/checkout", key, order(item, 1));
		Exchange retry = alice.postJson("/checkout", key, order(item, 1));

		// No body comparison: the container completes a forwarded response when the
		// forward returns, before the body-caching filters copy the body out, so the
		// client gets an empty body with or without the starter. Location names the
		// order.
		assertThat(first.status()).as("%s", first).isEqualTo(201);
		assertThat(retry.status()).as("%s", retry).isEqualTo(201);
		assertThat(retry.replayed()).as("%s", retry).isTrue();
		assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void orderForwardedFromTheOldCheckoutWithoutAKeyIsRejectedAsMissingKey() {
		String item = newItem();

		Exchange response = alice.postJson("/checkout", null, order(item, 1));

		// Tomcat ends a forwarded response when the forward returns, before this
		// application's ETag and logging filters copy their cached bodies out, so no
		// forwarded body reaches the client here, with or without the starter: the status
		// and the problem's content type do.
		assertThat(response.status()).as("%s", response).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(orders.countByItem(item)).isZero();
	}

	@Test
	void reportLargerThanTheStorableResponseIsNotGeneratedAgainOnRetry() {
		String key = newKey();
		String title = newItem();

		Exchange first = alice.postForm("/reports", key, "title=" + title);
		Exchange retry = alice.postForm("/reports", key, "title=" + title);

		assertThat(first.status()).as("%s", first).isEqualTo(200);
		assertThat(first.body().length).isGreaterThan(1024);
		// Too large to store, so it cannot be replayed; generating it again would be a
		// second execution. Which 4xx answers the retry is the web layer's choice.
		assertThat(reports.countByTitle(title)).as("reports generated").isOne();
		assertThat(retry.status()).as("retry: %s", retry).isGreaterThanOrEqualTo(400);
	}

	@Test
	void uploadsDifferingInOneFileUnderTheSamePartNameAreDifferentRequests() {
		String key = newKey();
		String item = newItem();
		// Every part is named "files" with file name "blob", as browsers send Blobs: the
		// two uploads differ only in the content of their first file.
		Exchange first = alice.postFiles("/orders", key, item, List.of("file A", "file B"));

		Exchange other = alice.postFiles("/orders", key, item, List.of("file C", "file B"));

		assertThat(first.status()).as("%s", first).isEqualTo(201);
		assertThat(other.status()).as("%s", other).isEqualTo(422);
		assertThat(other.problemType()).endsWith("/key-reused");
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void formAboveTheRequestSizeLimitIsRejectedAsTooLarge() {
		String item = newItem();
		String note = "n".repeat(1024 * 1024 + 512 * 1024);

		Exchange response = alice.postForm("/orders", newKey(), "item=" + item + "&quantity=1&note=" + note);

		assertThat(response.status()).as("%s", response).isEqualTo(413);
		assertThat(response.problemType()).endsWith("/request-too-large");
		assertThat(orders.countByItem(item)).isZero();
	}

}
