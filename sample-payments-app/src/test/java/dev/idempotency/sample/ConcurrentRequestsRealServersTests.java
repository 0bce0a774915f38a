package dev.idempotency.sample;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import dev.idempotency.sample.PaymentsApi.Response;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static dev.idempotency.sample.PaymentsApi.refund;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests at once, over real HTTP on real PostgreSQL and Redis. The gateway takes
 * 300 ms per call so that the requests overlap while the first one runs.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS, "payments.gateway.latency=300ms" })
class ConcurrentRequestsRealServersTests extends RealServersTestSupport {

	private static final int CLIENTS = 24;

	private static final String IN_PROGRESS = "https://idempotency.dev/problems/request-in-progress";

	@Test
	void concurrentRequestsWithOneKeyChargeOnceAndTheOthersGetAConflictOrTheSamePayment() throws Exception {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		List<Response> responses = all((i) -> api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer)));
		List<Response> executed = responses.stream().filter((r) -> r.status() == 201 && !r.replayed()).toList();
		assertThat(executed).hasSize(1);
		String body = executed.get(0).body();
		for (Response response : responses) {
			if (response.status() == 201) {
				assertThat(response.body()).isEqualTo(body);
			}
			else {
				assertThat(response.status()).as(response.toString()).isEqualTo(409);
				assertThat(response.field("type")).isEqualTo(IN_PROGRESS);
				assertThat(response.header("Retry-After")).isNotNull();
			}
		}
		assertThat(responses.stream().filter((r) -> r.status() == 409)).isNotEmpty();
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
		assertThat(keysSentForCharge(executed.get(0).field("gatewayChargeId"))).hasSize(1);
	}

	@Test
	void concurrentRefundsWithOneKeyRefundOnce() throws Exception {
		String id = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer())).field("id");
		String key = newKey();
		double refundsBefore = refunds();
		List<Response> responses = all((i) -> api.refund(MERCHANT_A_KEY, id, key, refund(2000)));
		assertThat(responses.stream().filter((r) -> r.status() == 201 && !r.replayed())).hasSize(1);
		assertThat(responses).allSatisfy((r) -> assertThat(r.status()).isIn(201, 409));
		assertThat(refunds() - refundsBefore).isEqualTo(1);
		assertThat(refundRows(id)).isEqualTo(1);
	}

	@Test
	void concurrentRefundsWithDistinctKeysNeverExceedThePayment() throws Exception {
		String id = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer())).field("id");
		double refundsBefore = refunds();
		List<Response> responses = all((i) -> api.refund(MERCHANT_A_KEY, id, newKey(), refund(3000)));
		assertThat(responses.stream().filter((r) -> r.status() == 201)).hasSize(3);
		assertThat(responses.stream().filter((r) -> r.status() == 409)).hasSize(CLIENTS - 3)
			.allSatisfy((r) -> assertThat(r.field("type")).endsWith("/refund-exceeds-remaining"));
		assertThat(refunds() - refundsBefore).isEqualTo(3);
		assertThat(refundRows(id)).isEqualTo(3);
		assertThat(api.get("/api/v1/payments/" + id, MERCHANT_A_KEY).field("status")).isEqualTo("partially_refunded");
	}

	private List<Response> all(IntFunction<Response> request) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Response>> futures = new java.util.ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				int client = i;
				futures.add(executor.submit(() -> {
					start.await();
					return request.apply(client);
				}));
			}
			start.countDown();
			List<Response> responses = new java.util.ArrayList<>();
			for (Future<Response> future : futures) {
				responses.add(future.get());
			}
			return responses;
		}
		finally {
			executor.shutdownNow();
		}
	}

}
