package dev.idempotency.sample;

import java.util.List;

import dev.idempotency.sample.PaymentsApi.Response;
import dev.idempotency.sample.gateway.PaymentGateway.Charge;
import dev.idempotency.sample.gateway.SimulatedPaymentGateway.ReceivedCall;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key the provider receives over HTTP is the one the starter derives from the payment
 * request's ({@code idempotency.propagation}): the same for every retry of a request, so
 * a retry after a failure that followed the charge is charged once; different for
 * different requests; never the client's own key.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS, "payments.gateway.latency=10ms" })
class GatewayKeyPropagationRealServersTests extends RealServersTestSupport {

	@Test
	void retryAfterAFailureThatFollowedTheChargeSendsTheSameKeyAndIsChargedOnce() {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		int callsBefore = gateway.recentCalls().size();

		// The provider charges, then its answer is lost: the handler fails, nothing is
		// stored, the key is released.
		gateway.failAfterNextCharges(1);
		Response failed = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isZero();

		Response retried = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
		assertThat(retried.replayed()).isFalse();

		List<ReceivedCall> calls = gateway.recentCalls().subList(callsBefore, gateway.recentCalls().size());
		assertThat(calls).hasSize(2).allSatisfy((call) -> assertThat(call.operation()).isEqualTo("charge"));
		String sent = calls.get(0).idempotencyKey();
		assertThat(sent).startsWith("idem_").doesNotContain(key);
		assertThat(calls.get(1).idempotencyKey()).isEqualTo(sent);
		assertThat(gateway.chargeFor(sent)).map(Charge::id).hasValue(retried.field("gatewayChargeId"));
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
	}

	@Test
	void twoClientKeysGiveTwoDerivedKeysAndNeitherClientKeyReachesTheProvider() {
		String firstKey = newKey();
		String secondKey = newKey();
		Response first = api.createPayment(MERCHANT_A_KEY, firstKey, payment(10000, newCustomer()));
		Response second = api.createPayment(MERCHANT_A_KEY, secondKey, payment(10000, newCustomer()));
		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(201);

		String firstSent = keysSentForCharge(first.field("gatewayChargeId")).get(0);
		String secondSent = keysSentForCharge(second.field("gatewayChargeId")).get(0);
		assertThat(firstSent).isNotEqualTo(secondSent);
		assertThat(gateway.recentCalls()).extracting(ReceivedCall::idempotencyKey)
			.noneMatch((sent) -> sent != null && (sent.contains(firstKey) || sent.contains(secondKey)));
	}

}
