package dev.idempotency.sample;

import dev.idempotency.sample.PaymentsApi.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.MERCHANT_B_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static dev.idempotency.sample.PaymentsApi.refund;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payments API over real HTTP, on real PostgreSQL and Redis.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS, "payments.gateway.latency=10ms" })
class PaymentsApiRealServersTests extends RealServersTestSupport {

	private static final String PROBLEM = "https://idempotency.dev/sample/problems/";

	private static final String STARTER_PROBLEM = "https://idempotency.dev/problems/";

	@Test
	void retriedPaymentReturnsTheSamePaymentAndChargesOnce() {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		Response first = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		Response retry = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.replayed()).isFalse();
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.body()).isEqualTo(first.body());
		String id = first.field("id");
		assertThat(first.header("Location")).isEqualTo("/api/v1/payments/" + id);
		assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
		assertThat(keysSentForCharge(first.field("gatewayChargeId"))).hasSize(1);
	}

	@Test
	void createdPaymentHasEveryFieldAndCanBeRead() {
		String customer = newCustomer();
		Response created = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, customer));
		JsonNode payment = created.json();
		assertThat(payment.propertyNames()).containsExactly("id", "status", "disputed", "amount", "currency",
				"customerId", "description", "gatewayChargeId", "createdAt");
		assertThat(payment.get("id").asString()).startsWith("pay_");
		assertThat(payment.get("status").asString()).isEqualTo("succeeded");
		assertThat(payment.get("amount").asLong()).isEqualTo(10000);
		assertThat(payment.get("currency").asString()).isEqualTo("USD");
		assertThat(payment.get("customerId").asString()).isEqualTo(customer);
		assertThat(payment.get("gatewayChargeId").asString()).startsWith("ch_");
		assertThat(payment.get("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
		Response read = api.get(created.header("Location"), MERCHANT_A_KEY);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json()).isEqualTo(payment);
	}

	@Test
	void gatewaySeesAKeyDerivedFromTheRequestsKeyNeverTheKeyItself() {
		String key = newKey();
		Response created = api.createPayment(MERCHANT_A_KEY, key, payment(10000, newCustomer()));
		assertThat(keysSentForCharge(created.field("gatewayChargeId"))).singleElement()
			.satisfies((sent) -> assertThat(sent).startsWith("idem_").doesNotContain(key));
	}

	@Test
	void twoMerchantsUsingTheSameKeyGetTwoPayments() {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		Response a = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		Response b = api.createPayment(MERCHANT_B_KEY, key, payment(10000, customer));
		assertThat(a.status()).isEqualTo(201);
		assertThat(b.status()).isEqualTo(201);
		assertThat(b.replayed()).isFalse();
		assertThat(b.field("id")).isNotEqualTo(a.field("id"));
		assertThat(b.field("gatewayChargeId")).isNotEqualTo(a.field("gatewayChargeId"));
		assertThat(charges() - chargesBefore).isEqualTo(2);
		assertThat(paymentRows(customer)).isEqualTo(2);
		assertThat(keysSentForCharge(a.field("gatewayChargeId"))).hasSize(1)
			.doesNotContainAnyElementsOf(keysSentForCharge(b.field("gatewayChargeId")));
		assertThat(api.get(a.header("Location"), MERCHANT_B_KEY).status()).isEqualTo(404);
	}

	@Test
	void correctedRequestAfterA400GoesThroughWithTheSameKey() {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		Response zero = api.createPayment(MERCHANT_A_KEY, key, payment(0, customer));
		assertProblem(zero, 400, PROBLEM + "invalid-request");
		assertThat(zero.json().get("errors").toString()).contains("amount");
		Response unknownCurrency = api.createPayment(MERCHANT_A_KEY, key,
				"{\"amount\": 100, \"currency\": \"XYZ\", \"customerId\": \"" + customer + "\"}");
		assertProblem(unknownCurrency, 400, PROBLEM + "invalid-request");
		assertThat(unknownCurrency.json().get("errors").toString()).contains("currency");
		Response malformed = api.createPayment(MERCHANT_A_KEY, key, "{\"amount\": 100, \"currency\": ");
		assertProblem(malformed, 400, PROBLEM + "malformed-request");
		Response wrongType = api.createPayment(MERCHANT_A_KEY, key,
				"{\"amount\": \"a lot\", \"currency\": \"USD\", \"customerId\": \"" + customer + "\"}");
		assertProblem(wrongType, 400, PROBLEM + "malformed-request");
		assertThat(charges()).isEqualTo(chargesBefore);
		assertThat(paymentRows(customer)).isZero();
		Response corrected = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(corrected.status()).isEqualTo(201);
		assertThat(corrected.replayed()).isFalse();
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
	}

	@Test
	void declinedCardIsNotStoredAndAFixedRequestRunsWithTheSameKey() {
		String key = newKey();
		String declinedCustomer = "cust-declined-" + newKey();
		double chargesBefore = charges();
		Response declined = api.createPayment(MERCHANT_A_KEY, key, payment(10000, declinedCustomer));
		assertProblem(declined, 402, PROBLEM + "card-declined");
		assertThat(declined.field("declineCode")).isEqualTo("card_declined");
		Response insufficient = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10402, newCustomer()));
		assertProblem(insufficient, 402, PROBLEM + "card-declined");
		assertThat(insufficient.field("declineCode")).isEqualTo("insufficient_funds");
		assertThat(charges()).isEqualTo(chargesBefore);
		assertThat(paymentRows(declinedCustomer)).isZero();
		String customer = newCustomer();
		Response fixed = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(fixed.status()).isEqualTo(201);
		assertThat(fixed.replayed()).isFalse();
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
	}

	@Test
	void sameKeyWithADifferentBodyIsUnprocessable() {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		assertThat(api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer)).status()).isEqualTo(201);
		Response other = api.createPayment(MERCHANT_A_KEY, key, payment(20000, customer));
		assertProblem(other, 422, STARTER_PROBLEM + "key-reused");
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
	}

	@Test
	void paymentWithoutAnIdempotencyKeyIsRejectedAndNotCharged() {
		String customer = newCustomer();
		double chargesBefore = charges();
		Response response = api.createPayment(MERCHANT_A_KEY, null, payment(10000, customer));
		assertProblem(response, 400, STARTER_PROBLEM + "missing-key");
		assertThat(charges()).isEqualTo(chargesBefore);
		assertThat(paymentRows(customer)).isZero();
	}

	@Test
	void refundsHappenExactlyOnceAndNeverBeyondTheRemainingAmount() {
		Response payment = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer()));
		String id = payment.field("id");
		String refundKey = newKey();
		double refundsBefore = refunds();
		Response first = api.refund(MERCHANT_A_KEY, id, refundKey, refund(2000));
		Response retry = api.refund(MERCHANT_A_KEY, id, refundKey, refund(2000));
		assertThat(first.status()).isEqualTo(201);
		assertThat(first.field("id")).startsWith("re_");
		assertThat(first.json().get("amount").asLong()).isEqualTo(2000);
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(refunds() - refundsBefore).isEqualTo(1);
		assertThat(refundRows(id)).isEqualTo(1);
		assertThat(api.get("/api/v1/payments/" + id, MERCHANT_A_KEY).field("status")).isEqualTo("partially_refunded");

		Response tooMuch = api.refund(MERCHANT_A_KEY, id, newKey(), refund(8001));
		assertProblem(tooMuch, 409, PROBLEM + "refund-exceeds-remaining");
		assertThat(tooMuch.json().get("remainingAmount").asLong()).isEqualTo(8000);
		assertThat(refunds() - refundsBefore).isEqualTo(1);
		assertThat(refundRows(id)).isEqualTo(1);

		Response rest = api.refund(MERCHANT_A_KEY, id, newKey(), refund(8000));
		assertThat(rest.status()).isEqualTo(201);
		assertThat(refunds() - refundsBefore).isEqualTo(2);
		assertThat(api.get("/api/v1/payments/" + id, MERCHANT_A_KEY).field("status")).isEqualTo("refunded");
	}

	@Test
	void refundOfAnotherMerchantsPaymentIsNotFound() {
		String id = api.createPayment(MERCHANT_A_KEY, newKey(), payment(10000, newCustomer())).field("id");
		double refundsBefore = refunds();
		assertProblem(api.refund(MERCHANT_B_KEY, id, newKey(), refund(100)), 404, PROBLEM + "not-found");
		assertProblem(api.refund(MERCHANT_A_KEY, "pay_missing", newKey(), refund(100)), 404, PROBLEM + "not-found");
		assertThat(refunds()).isEqualTo(refundsBefore);
	}

	@Test
	void listShowsOnlyTheMerchantsOwnPayments() {
		String ofA = api.createPayment(MERCHANT_A_KEY, newKey(), payment(1000, newCustomer())).field("id");
		String ofB = api.createPayment(MERCHANT_B_KEY, newKey(), payment(1000, newCustomer())).field("id");
		Response listOfA = api.get("/api/v1/payments", MERCHANT_A_KEY);
		Response listOfB = api.get("/api/v1/payments", MERCHANT_B_KEY);
		assertThat(listOfA.status()).isEqualTo(200);
		assertThat(ids(listOfA)).contains(ofA).doesNotContain(ofB);
		assertThat(ids(listOfB)).contains(ofB).doesNotContain(ofA);
		assertThat(api.get("/api/v1/payments/" + ofB, MERCHANT_A_KEY).status()).isEqualTo(404);
	}

	@Test
	void missingOrUnknownApiKeyIsAnUnauthorizedProblem() {
		String customer = newCustomer();
		double chargesBefore = charges();
		Response noKey = api.post("/api/v1/payments", null, newKey(), payment(1000, customer));
		Response badKey = api.post("/api/v1/payments", "sk_test_unknown", newKey(), payment(1000, customer));
		Response badKeyOnGet = api.get("/api/v1/payments", "sk_test_unknown");
		for (Response response : new Response[] { noKey, badKey, badKeyOnGet }) {
			assertProblem(response, 401, PROBLEM + "unauthorized");
			assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		}
		assertThat(charges()).isEqualTo(chargesBefore);
		assertThat(paymentRows(customer)).isZero();
	}

	@Test
	void actuatorEndpointsAreOpenAndMetricsMoveAsExpected() {
		String hits = "/actuator/metrics/idempotency.requests?tag=outcome:hit&tag=endpoint:POST%20/api/v1/payments";
		String misses = "/actuator/metrics/idempotency.requests?tag=outcome:miss&tag=endpoint:POST%20/api/v1/payments";
		double hitsBefore = metric(hits);
		double missesBefore = metric(misses);
		double chargesBefore = metric("/actuator/metrics/payments.gateway.charges");
		String key = newKey();
		String customer = newCustomer();
		api.createPayment(MERCHANT_A_KEY, key, payment(5000, customer));
		api.createPayment(MERCHANT_A_KEY, key, payment(5000, customer));
		api.createPayment(MERCHANT_A_KEY, key, payment(5000, customer));
		assertThat(metric(misses) - missesBefore).isEqualTo(1);
		assertThat(metric(hits) - hitsBefore).isEqualTo(2);
		assertThat(metric("/actuator/metrics/payments.gateway.charges") - chargesBefore).isEqualTo(1);
		Response prometheus = api.get("/actuator/prometheus", null);
		assertThat(prometheus.status()).isEqualTo(200);
		assertThat(prometheus.body()).contains("payments_gateway_charges_total", "idempotency_requests_total");
		Response health = api.get("/actuator/health", null);
		assertThat(health.field("status")).isEqualTo("UP");
	}

	private double metric(String path) {
		Response response = api.get(path, null);
		if (response.status() == 404) {
			return 0;
		}
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("measurements").get(0).get("value").asDouble();
	}

	private static java.util.List<String> ids(Response list) {
		java.util.List<String> ids = new java.util.ArrayList<>();
		list.json().forEach((payment) -> ids.add(payment.get("id").asString()));
		return ids;
	}

	private static void assertProblem(Response response, int status, String type) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.field("type")).isEqualTo(type);
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
	}

}
