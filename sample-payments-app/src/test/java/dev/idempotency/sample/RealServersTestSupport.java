package dev.idempotency.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.idempotency.sample.gateway.SimulatedPaymentGateway;
import dev.idempotency.sample.gateway.SimulatedPaymentGateway.ReceivedCall;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the whole app on a random port against real PostgreSQL and Redis: the servers
 * {@link TestServers} finds ({@code SPRING_DATASOURCE_URL} and
 * {@code SPRING_DATA_REDIS_URL} when set, else Testcontainers, else embedded). The app's
 * own embedded servers stay off. Subclasses carry {@code @SpringBootTest}.
 */
abstract class RealServersTestSupport {

	/** Tests bring their own servers. */
	static final String NO_EMBEDDED_SERVERS = "payments.embedded-servers.enabled=false";

	@LocalServerPort
	private int port;

	@Autowired
	protected SimulatedPaymentGateway gateway;

	@Autowired
	protected MeterRegistry meters;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected DataSource dataSource;

	protected PaymentsApi api;

	@DynamicPropertySource
	static void realServers(DynamicPropertyRegistry registry) {
		JdbcServer postgres = TestServers.postgres();
		registry.add("spring.datasource.url", postgres::jdbcUrl);
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.data.redis.url", TestServers::redisUrl);
	}

	@BeforeEach
	void createClient() {
		api = new PaymentsApi(port);
	}

	protected double charges() {
		return meters.get(SimulatedPaymentGateway.CHARGES).counter().count();
	}

	protected double refunds() {
		return meters.get(SimulatedPaymentGateway.REFUNDS).counter().count();
	}

	protected long paymentRows(String customerId) {
		return jdbc.sql("select count(*) from payments where customer_id = ?")
			.param(customerId)
			.query(Long.class)
			.single();
	}

	protected long refundRows(String paymentId) {
		return jdbc.sql("select count(*) from refunds where payment_id = ?")
			.param(paymentId)
			.query(Long.class)
			.single();
	}

	/**
	 * The {@code Idempotency-Key} headers of the charge calls the provider received that
	 * made or replayed a charge (failed calls included, when a later call with their key
	 * made it).
	 * @param chargeId the charge
	 * @return the keys, oldest first
	 */
	protected List<String> keysSentForCharge(String chargeId) {
		return keysSent("charge", (key) -> gateway.chargeFor(key).filter((charge) -> charge.id().equals(chargeId)));
	}

	/**
	 * The {@code Idempotency-Key} headers of the refund calls the provider received for a
	 * charge (failed calls included, when a later call with their key refunded).
	 * @param chargeId the refunded charge
	 * @return the keys, oldest first
	 */
	protected List<String> keysSentForRefundsOf(String chargeId) {
		return keysSent("refund",
				(key) -> gateway.refundFor(key).filter((refund) -> refund.chargeId().equals(chargeId)));
	}

	private List<String> keysSent(String operation, Function<String, Optional<?>> result) {
		return gateway.recentCalls()
			.stream()
			.filter((call) -> call.operation().equals(operation))
			.map(ReceivedCall::idempotencyKey)
			.filter(Objects::nonNull)
			.filter((key) -> result.apply(key).isPresent())
			.toList();
	}

	protected String chargeIdOf(String paymentId) {
		return jdbc.sql("select gateway_charge_id from payments where id = ?")
			.param(paymentId)
			.query(String.class)
			.single();
	}

	/**
	 * Locks a payment's row in a transaction of the test's own until the returned lock is
	 * closed: whatever updates the payment meanwhile waits, still holding its idempotency
	 * key, so duplicates meet it in flight.
	 * @param paymentId the payment
	 * @return the lock
	 */
	protected RowLock lockPayment(String paymentId) throws SQLException {
		Connection connection = dataSource.getConnection();
		connection.setAutoCommit(false);
		try (PreparedStatement select = connection
			.prepareStatement("select id from payments where id = ? for update")) {
			select.setString(1, paymentId);
			select.executeQuery().close();
		}
		return () -> {
			connection.commit();
			connection.close();
		};
	}

	/**
	 * How many sessions wait for a lock on the payments table (the ones blocked by
	 * {@link #lockPayment(String)}).
	 * @return the number of waiting sessions
	 */
	protected long sessionsWaitingForPayments() {
		return jdbc
			.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
					+ "and datname = current_database() and query ilike '%payments%'")
			.query(Long.class)
			.single();
	}

	/**
	 * A row lock held by the test.
	 */
	protected interface RowLock extends AutoCloseable {

		@Override
		void close() throws SQLException;

	}

}
