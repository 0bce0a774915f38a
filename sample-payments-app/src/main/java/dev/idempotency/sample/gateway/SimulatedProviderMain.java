package dev.idempotency.sample.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated provider alone, in a process of its own, without the app: for fault
 * injection, where the app is killed and the provider, like a real one, must outlive it
 * with its charges and the keys it remembers. Apps call it with
 * {@code --payments.gateway.provider-url=http://localhost:<port>}. From the app's jar:
 * <pre>
 * java -cp sample-payments-app.jar -Dloader.main=dev.idempotency.sample.gateway.SimulatedProviderMain \
 *     org.springframework.boot.loader.launch.PropertiesLauncher &lt;port&gt; [latency, such as 150ms]
 * </pre>
 * <p>
 * Serves until the process is stopped; {@code GET /counts} answers the charges and
 * refunds it made.
 */
public final class SimulatedProviderMain {

	private SimulatedProviderMain() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		if (args.length < 1 || args.length > 2) {
			throw new IllegalArgumentException("Usage: SimulatedProviderMain <port> [latency, such as 150ms]");
		}
		int port = Integer.parseInt(args[0]);
		Duration latency = (args.length > 1) ? parseMillis(args[1]) : Duration.ofMillis(150);
		SimulatedPaymentGateway gateway = new SimulatedPaymentGateway(new SimpleMeterRegistry(), latency);
		SimulatedProviderServer server = SimulatedProviderServer.start(gateway, JsonMapper.builder().build(), port);
		Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "simulated-provider-stop"));
		System.out.println("Simulated provider on " + server.baseUrl() + ", latency " + latency.toMillis() + " ms");
		// The server's threads are daemons: wait here until the process is stopped.
		new CountDownLatch(1).await();
	}

	private static Duration parseMillis(String latency) {
		return Duration.ofMillis(Long.parseLong(latency.replaceFirst("ms$", "")));
	}

}
