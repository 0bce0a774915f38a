package dev.idempotency.sample;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.store.TwoLayerIdempotencyStore;
import dev.idempotency.sample.PaymentsApi.Response;
import dev.idempotency.web.PrincipalScopeResolver;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.redis.core.StringRedisTemplate;

import static dev.idempotency.sample.PaymentsApi.MERCHANT_A_KEY;
import static dev.idempotency.sample.PaymentsApi.newCustomer;
import static dev.idempotency.sample.PaymentsApi.newKey;
import static dev.idempotency.sample.PaymentsApi.payment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app keeps its idempotency keys in the two-layer store the starter configures from
 * its RedisConnectionFactory and DataSource: PostgreSQL is the record, Redis the cache.
 * Without the near cache, so that retries reach the two layers this class is about.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { RealServersTestSupport.NO_EMBEDDED_SERVERS,
		"payments.gateway.latency=10ms", "idempotency.store.near-cache.enabled=false" })
class IdempotencyStoreRealServersTests extends RealServersTestSupport {

	@Autowired
	private IdempotencyStore store;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void storeIsTheTwoLayerStore() {
		assertThat(store).isInstanceOf(TwoLayerIdempotencyStore.class);
	}

	@Test
	void completedPaymentIsRecordedInPostgresqlAndCachedInRedis() {
		String key = newKey();
		api.createPayment(MERCHANT_A_KEY, key, payment(10000, newCustomer()));
		String digest = digest(key);
		assertThat(jdbc.sql("select count(*) from idempotency_keys where key_digest = ? and response is not null")
			.param(digest)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(redis.hasKey(redisKey(digest))).isTrue();
	}

	@Test
	void retryStillReplaysWhenRedisLostTheKey() {
		String key = newKey();
		String customer = newCustomer();
		double chargesBefore = charges();
		Response first = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(redis.delete(redisKey(digest(key)))).isTrue();
		Response retry = api.createPayment(MERCHANT_A_KEY, key, payment(10000, customer));
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(charges() - chargesBefore).isEqualTo(1);
		assertThat(paymentRows(customer)).isEqualTo(1);
	}

	private static String digest(String clientKey) {
		return new IdempotencyKey(PrincipalScopeResolver.scope(() -> "merchant-a"), "POST /api/v1/payments", clientKey)
			.digest();
	}

	private static String redisKey(String digest) {
		return "idempotency:{" + digest + "}";
	}

}
