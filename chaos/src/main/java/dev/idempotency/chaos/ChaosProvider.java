package dev.idempotency.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample's simulated payment provider in a process of its own
 * ({@code SimulatedProviderMain}, from the app's fat jar), on a fixed loopback port for
 * its whole life: it outlives the app processes a scenario kills, so its count of charges
 * covers every one of them, and a restarted app, calling the same URL, sends it the same
 * derived keys.
 */
final class ChaosProvider implements AutoCloseable {

	private static final String MAIN = "dev.idempotency.sample.gateway.SimulatedProviderMain";

	private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private static final Pattern CHARGES = Pattern.compile("\"charges\"\\s*:\\s*([0-9]+)");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final Process process;

	private final int port;

	private ChaosProvider(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the provider and waits (bounded) until it answers.
	 * @param jar the app's fat jar
	 * @param log where its output goes
	 * @param latency every call's latency, such as {@code 50ms}
	 * @param timeout how long it may take to answer
	 * @return the provider, answering
	 */
	static ChaosProvider start(Path jar, Path log, String latency, Duration timeout) throws InterruptedException {
		int port = ChaosPostgres.freePort();
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
				"-XX:TieredStopAtLevel=1", "-cp", jar.toString(), "-Dloader.main=" + MAIN, LAUNCHER,
				Integer.toString(port), latency);
		File logFile = log.toFile();
		ChaosProvider provider;
		try {
			provider = new ChaosProvider(new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(logFile))
				.start(), port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!provider.process.isAlive()) {
				throw new IllegalStateException(
						"provider exited with " + provider.process.exitValue() + "; see " + logFile);
			}
			if (provider.charges() >= 0) {
				return provider;
			}
			Thread.sleep(100);
		}
		provider.close();
		throw new IllegalStateException("provider not answering within " + timeout + "; see " + logFile);
	}

	/**
	 * Where the apps call it: {@code localhost}, the host the sample's
	 * {@code idempotency.propagation.hosts} lists.
	 * @return its base URL
	 */
	String url() {
		return "http://localhost:" + port;
	}

	/**
	 * The provider's own count of charges it really made (replays by key excluded).
	 * @return the count, or -1 when it cannot be read
	 */
	long charges() {
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(url() + "/counts")).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher matcher = CHARGES.matcher(response.body());
			return (response.statusCode() == 200 && matcher.find()) ? Long.parseLong(matcher.group(1)) : -1;
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
