package dev.idempotency.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.apache.qpid.server.SystemLauncher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AMQP 0-9-1 broker for tests, taken in this order: the one the environment names
 * ({@code SPRING_RABBITMQ_HOST}, with {@code _PORT}, {@code _USERNAME},
 * {@code _PASSWORD}); a RabbitMQ answering on {@code 127.0.0.1:5672} as
 * {@code guest}/{@code guest}, as on CI; otherwise an Apache Qpid Broker-J started in
 * this JVM, in memory. {@code PAYMENTS_TEST_BROKER=embedded} forces the embedded broker.
 * Found once per JVM; never a skip.
 */
final class TestBroker {

	private static final Logger logger = LoggerFactory.getLogger(TestBroker.class);

	private static @Nullable Address address;

	private TestBroker() {
	}

	/**
	 * A broker's address.
	 *
	 * @param host the host
	 * @param port the AMQP port
	 * @param username the user
	 * @param password the password
	 * @param kind where it came from, for the logs
	 * @param deadLettering whether it has RabbitMQ's {@code x-dead-letter-exchange} (Qpid
	 * refuses the argument)
	 */
	record Address(String host, int port, String username, String password, String kind, boolean deadLettering) {

		@Override
		public String toString() {
			return kind + " at " + host + ":" + port;
		}

	}

	static synchronized Address rabbitMq() {
		if (address == null) {
			address = find();
			logger.info("AMQP broker for the tests: {}", address);
		}
		return address;
	}

	private static Address find() {
		boolean embeddedOnly = "embedded".equals(System.getenv("PAYMENTS_TEST_BROKER"));
		String host = System.getenv("SPRING_RABBITMQ_HOST");
		if (host != null && !embeddedOnly) {
			return new Address(host, Integer.parseInt(envOr("SPRING_RABBITMQ_PORT", "5672")),
					envOr("SPRING_RABBITMQ_USERNAME", "guest"), envOr("SPRING_RABBITMQ_PASSWORD", "guest"),
					"RabbitMQ from the environment", true);
		}
		Address local = new Address("127.0.0.1", 5672, "guest", "guest", "local RabbitMQ", true);
		if (!embeddedOnly && answers(local)) {
			return local;
		}
		return startQpid();
	}

	private static boolean answers(Address candidate) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(candidate.host());
		factory.setPort(candidate.port());
		factory.setUsername(candidate.username());
		factory.setPassword(candidate.password());
		factory.setConnectionTimeout(2000);
		factory.setHandshakeTimeout(2000);
		factory.setAutomaticRecoveryEnabled(false);
		try (Connection connection = factory.newConnection("payments-tests-probe")) {
			return connection.isOpen();
		}
		catch (IOException | TimeoutException ex) {
			return false;
		}
	}

	private static Address startQpid() {
		try {
			int port = freePort();
			URL configuration = TestBroker.class.getResource("/qpid-test-broker.json");
			SystemLauncher launcher = new SystemLauncher();
			// Qpid honours a reject without requeue only on queues with a maximum of
			// delivery
			// attempts: elsewhere it requeues the message, as a poison message would
			// loop.
			Map<String, String> context = Map.of("qpid.amqp_port", String.valueOf(port), "qpid.work_dir",
					Files.createTempDirectory("qpid-work").toString(), "queue.maximumDeliveryAttempts", "1");
			launcher.startup(Map.of("type", "Memory", "initialConfigurationLocation", configuration.toExternalForm(),
					"startupLoggedToSystemOut", false, "context", context));
			Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown));
			return new Address("127.0.0.1", port, "guest", "guest", "embedded Qpid Broker-J", false);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start the embedded Qpid broker", ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

}
