package com.example.shop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactional mode inside an ordinary JPA application: the key, the order written by
 * the handler's {@code @Transactional} service and the stored response commit as one, or
 * not at all. Each scenario checks what the database holds afterwards: orders by item,
 * and the starter's row by key.
 */
@ActiveProfiles("transactional")
abstract class TransactionalCheckoutScenarios extends ShopRealServersTestSupport {

	private static final String ROLLED_BACK = "https://idempotency.dev/problems/rolled-back";

	private static final String IN_PROGRESS = "https://idempotency.dev/problems/request-in-progress";

	@Autowired
	private DataSource dataSource;

	private JdbcTemplate jdbc;

	/**
	 * A deferred constraint that refuses some orders only when their transaction commits:
	 * the way to make a commit fail after the handler and the response write succeeded.
	 */
	@BeforeEach
	void refuseSomeOrdersAtCommit() {
		jdbc = new JdbcTemplate(dataSource);
		jdbc.execute("""
				CREATE OR REPLACE FUNCTION userapp_refuse_at_commit() RETURNS trigger AS $$
				BEGIN
					IF NEW.item LIKE 'refused-at-commit-%' THEN
						RAISE EXCEPTION 'order % refused at commit', NEW.item;
					END IF;
					RETURN NULL;
				END $$ LANGUAGE plpgsql""");
		jdbc.execute("DROP TRIGGER IF EXISTS userapp_refuse_at_commit ON userapp_orders");
		jdbc.execute("""
				CREATE CONSTRAINT TRIGGER userapp_refuse_at_commit AFTER INSERT ON userapp_orders
				DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION userapp_refuse_at_commit()""");
	}

	@Test
	void checkoutCommitsItsOrderKeyAndResponseTogetherAndItsRetryReplays() {
		String key = newKey();
		String item = newItem();
		Exchange first = alice.postJson("/checkouts", key, order(item, 2));
		Exchange retry = alice.postJson("/checkouts", key, order(item, 2));

		assertThat(first.status()).isEqualTo(201);
		assertThat(first.replayed()).isFalse();
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(orders.countByItem(item)).isOne();
		assertThat(storedResponses(key)).isOne();
	}

	@Test
	void handlerThatFailsAfterWritingLeavesNoOrderAndAFreeKeySoItsRetryRunsOnce() {
		String key = newKey();
		String item = CheckoutService.FAILS_ONCE + newItem();
		Exchange failed = alice.postJson("/checkouts", key, order(item, 1));

		assertThat(failed.status()).isEqualTo(500);
		assertThat(orders.countByItem(item)).isZero();
		assertThat(rows(key)).isZero();

		Exchange retry = alice.postJson("/checkouts", key, order(item, 1));
		assertThat(retry.status()).isEqualTo(201);
		assertThat(retry.replayed()).isFalse();
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void statusThatIsNotStoredRollsBackTheHandlersWrites() {
		String key = newKey();
		String item = CheckoutService.OUT_OF_STOCK + newItem();
		Exchange refused = alice.postJson("/checkouts", key, order(item, 1));

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.problemType()).isNull();
		assertThat(orders.countByItem(item)).isZero();
		assertThat(rows(key)).isZero();
	}

	@Test
	void commitThatFailsAnswersRolledBackInsteadOfTheHandlersResponseAndKeepsNothing() {
		String key = newKey();
		String item = "refused-at-commit-" + newItem();
		Exchange refused = alice.postJson("/checkouts", key, order(item, 1));

		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.problemType()).isEqualTo(ROLLED_BACK);
		assertThat(refused.header("Retry-After")).isNotNull();
		assertThat(orders.countByItem(item)).isZero();
		assertThat(rows(key)).isZero();
		// The key is free: the retry runs again rather than being told it is in flight.
		Exchange retry = alice.postJson("/checkouts", key, order(item, 1));
		assertThat(retry.problemType()).isEqualTo(ROLLED_BACK);
	}

	@Test
	void duplicateOfARunningCheckoutIsAnswered409AtOnceNotAfterTheFirstCommits() throws Exception {
		String key = newKey();
		String item = CheckoutService.SLOW + newItem();
		CompletableFuture<Exchange> first = CompletableFuture
			.supplyAsync(() -> alice.postJson("/checkouts", key, order(item, 1)));
		pause(Duration.ofMillis(500));
		long started = System.nanoTime();
		Exchange duplicate = alice.postJson("/checkouts", key, order(item, 1));
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.problemType()).isEqualTo(IN_PROGRESS);
		assertThat(duplicate.header("Retry-After")).isNotNull();
		// The first holds its transaction for 1.5 s: the duplicate did not wait for it.
		assertThat(took).isLessThan(Duration.ofMillis(900));
		assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
		assertThat(alice.postJson("/checkouts", key, order(item, 1)).replayed()).isTrue();
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void patientDuplicatesOfARunningCheckoutGetItsReplayAndItRunsOnce() {
		String key = newKey();
		String item = CheckoutService.SLOW + newItem();
		List<Exchange> exchanges = Concurrently.run(4,
				(i) -> alice.postJson("/checkouts/patient", key, order(item, 1)));

		assertThat(exchanges).extracting(Exchange::status).containsOnly(201);
		assertThat(exchanges).filteredOn(Exchange::replayed).hasSize(3);
		assertThat(orders.countByItem(item)).isOne();
	}

	@Test
	void anotherCustomersSameKeyIsAnotherCheckout() {
		String key = newKey();
		String item = newItem();
		assertThat(alice.postJson("/checkouts", key, order(item, 1)).status()).isEqualTo(201);
		Exchange bobs = bob.postJson("/checkouts", key, order(item, 1));
		assertThat(bobs.status()).isEqualTo(201);
		assertThat(bobs.replayed()).isFalse();
		assertThat(orders.countByItem(item)).isEqualTo(2);
	}

	/** The starter's rows of a client key, in any state. */
	private int rows(String key) {
		Integer count = jdbc.queryForObject(
				"SELECT COUNT(*) FROM userapp_idempotency_keys WHERE idempotency_key = ? AND expires_at > now()",
				Integer.class, key);
		return (count != null) ? count : -1;
	}

	private int storedResponses(String key) {
		Integer count = jdbc.queryForObject(
				"SELECT COUNT(*) FROM userapp_idempotency_keys " + "WHERE idempotency_key = ? AND response IS NOT NULL",
				Integer.class, key);
		return (count != null) ? count : -1;
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
