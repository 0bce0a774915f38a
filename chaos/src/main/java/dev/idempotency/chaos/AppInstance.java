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
import java.util.ArrayList;
import java.util.List;

/**
 * One sample-payments-app process ({@code java -jar}, profile {@code prod}) on a fixed
 * loopback port. {@link #kill()} is SIGKILL: no shutdown hook, no graceful stop.
 */
final class AppInstance implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final Path jar;

	private final Path logDirectory;

	private final String name;

	private final int port;

	private final List<String> arguments;

	private Process process;

	private int starts;

	AppInstance(Path jar, Path logDirectory, String name, List<String> arguments) {
		this.jar = jar;
		this.logDirectory = logDirectory;
		this.name = name;
		this.port = ChaosPostgres.freePort();
		this.arguments = List.copyOf(arguments);
	}

	String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	/** Starts the process and waits (bounded) until its health endpoint answers 200. */
	synchronized void start(Duration timeout) throws InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx384m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		command.addAll(arguments);
		starts++;
		File log = logDirectory.resolve(name + "-" + starts + ".log").toFile();
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log));
			// Only the private servers: nothing from the environment (CI sets
			// SPRING_DATASOURCE_URL and friends for the other tests).
			builder.environment()
				.keySet()
				.removeIf((name) -> name.startsWith("SPRING_") || name.startsWith("IDEMPOTENCY_")
						|| name.startsWith("PAYMENTS_") || name.startsWith("MANAGEMENT_"));
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
			}
			try {
				HttpResponse<String> response = http
					.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
						.timeout(Duration.ofSeconds(1))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(name + " not healthy within " + timeout + "; see " + log);
	}

	/** SIGKILL, then waits (bounded) for the process to be gone. */
	synchronized void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
	}

	@Override
	public synchronized void close() {
		if (process != null && process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

}
