package dev.idempotency.chaos;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs fault scenarios against the sample payments app and checks the invariants after
 * each: {@code java dev.idempotency.chaos.ChaosRun [--payments=200] [--workers=8]
 * [--rate=20] [--scenarios=a,b] [--report=file]}. Exits 1 when an invariant fails. Every
 * server is private to the run and bound to 127.0.0.1; every loop is bounded in count and
 * time.
 */
public final class ChaosRun {

	/** Every scenario, in the order they run. */
	public static final List<String> ALL = List.of("baseline", "redis-restart", "redis-flush", "postgres-restart",
			"app-sigkill", "sigkill-before-commit", "sigkill-after-commit", "two-instances");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final Path jar;

	private final Path logDirectory;

	private final int payments;

	private final int workers;

	private final double rate;

	private String atomicity = "transaction";

	private final String runId = "chaos-" + Long.toString(System.currentTimeMillis(), 36);

	/**
	 * Unique to the run and the scenario's position in it: prefixes keys and log files.
	 */
	private String scenarioTag = runId;

	/**
	 * Runs the app's payments in one transaction with their keys (the sample's default)
	 * or with separate commits.
	 * @param atomicity {@code transaction} or {@code separate}
	 */
	void setAtomicity(String atomicity) {
		this.atomicity = atomicity;
	}

	ChaosRun(Path jar, Path logDirectory, int payments, int workers, double rate) {
		this.rate = rate;
		this.jar = jar;
		this.logDirectory = logDirectory;
		this.payments = payments;
		this.workers = workers;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			options.put(pair[0], (pair.length > 1) ? pair[1] : "true");
		}
		List<String> scenarios = Arrays.asList(options.getOrDefault("scenarios", String.join(",", ALL)).split(","));
		ChaosRun run = new ChaosRun(appJar(options.get("jar")),
				Path.of(options.getOrDefault("logs", "chaos/target/chaos-logs")),
				Integer.parseInt(options.getOrDefault("payments", "200")),
				Integer.parseInt(options.getOrDefault("workers", "8")),
				Double.parseDouble(options.getOrDefault("rate", "20")));
		run.setAtomicity(options.getOrDefault("atomicity", "transaction"));
		List<ScenarioResult> results = run.run(scenarios);
		String report = report(results);
		System.out.println();
		System.out.println(report);
		if (options.containsKey("report")) {
			Files.writeString(Path.of(options.get("report")), report);
		}
		for (ScenarioResult result : results) {
			result.problems().stream().limit(20).forEach((p) -> System.out.println(result.scenario() + ": " + p));
		}
		System.exit(results.stream().allMatch(ScenarioResult::passed) ? 0 : 1);
	}

	static Path appJar(String given) {
		List<String> candidates = new ArrayList<>();
		if (given != null) {
			candidates.add(given);
		}
		if (System.getProperty("chaos.app-jar") != null) {
			candidates.add(System.getProperty("chaos.app-jar"));
		}
		candidates.add("sample-payments-app/target/sample-payments-app.jar");
		candidates.add("../sample-payments-app/target/sample-payments-app.jar");
		for (String candidate : candidates) {
			if (Files.isRegularFile(Path.of(candidate))) {
				return Path.of(candidate).toAbsolutePath();
			}
		}
		throw new IllegalStateException("No sample-payments-app.jar in " + candidates
				+ "; build it: ./mvnw -q -pl sample-payments-app -am package -DskipTests");
	}

	/** The Markdown table, headed by the machine it ran on. */
	static String report(List<ScenarioResult> results) {
		StringBuilder out = new StringBuilder();
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		out.append("Ran ")
			.append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
			.append(" on ")
			.append(os.getAvailableProcessors())
			.append(" CPUs, ")
			.append(os.getTotalMemorySize() / (1024 * 1024 * 1024))
			.append(" GiB RAM, ")
			.append(System.getProperty("os.name"))
			.append(' ')
			.append(System.getProperty("os.arch"))
			.append(", Java ")
			.append(System.getProperty("java.vm.version"))
			.append(" (")
			.append(System.getProperty("java.vm.name"))
			.append(")\n\n");
		out.append(ScenarioResult.header()).append('\n');
		results.forEach((r) -> out.append(r.row()).append('\n'));
		return out.toString();
	}

	List<ScenarioResult> run(List<String> scenarios) throws Exception {
		Files.createDirectories(logDirectory);
		List<ScenarioResult> results = new ArrayList<>();
		log("Starting private PostgreSQL and Redis");
		try (ChaosPostgres postgres = ChaosPostgres.start(); ChaosRedis redis = new ChaosRedis()) {
			log("PostgreSQL " + postgres.jdbcUrl() + ", Redis " + redis.url());
			for (String scenario : scenarios) {
				redis.ensureRunning();
				this.scenarioTag = runId + "-" + results.size() + "-" + scenario.trim();
				long began = System.nanoTime();
				log("Scenario " + scenario + ": " + payments + " payments, " + workers + " workers");
				ScenarioResult result = run(scenario.trim(), postgres, redis);
				results.add(result);
				log("Scenario " + scenario + " done in " + (System.nanoTime() - began) / 1_000_000 + " ms: "
						+ (result.passed() ? "pass" : "FAIL " + result.problems().stream().limit(5).toList()));
			}
		}
		return results;
	}

	private ScenarioResult run(String scenario, ChaosPostgres postgres, ChaosRedis redis) throws Exception {
		// Defaults: a fast gateway, a short lock timeout, one instance.
		int instances = 1;
		String latency = "50ms";
		String lockTimeout = "5s";
		Duration requestTimeout = Duration.ofSeconds(2);
		String pause = null;
		switch (scenario) {
			case "baseline", "postgres-restart" -> {
			}
			case "redis-restart", "redis-flush" -> {
				// Every first attempt times out while its handler still runs, so every
				// key
				// is retried: the retries meet in-flight and completed records in Redis,
				// or find them gone.
				latency = "400ms";
				requestTimeout = Duration.ofMillis(300);
			}
			case "app-sigkill" -> {
				// Longer than a restart takes, so retries reach the new process while the
				// dead request's lock still holds: they get 409 until it expires.
				lockTimeout = "20s";
			}
			case "sigkill-before-commit", "sigkill-after-commit" -> {
				// Every payment's transaction waits 300 ms with its payment row written
				// and not committed (or committed and its response not sent): the kill
				// lands in that window for the requests in flight. As in app-sigkill, a
				// lock that outlives the restart.
				lockTimeout = "20s";
				pause = "--payments.chaos.pause-" + scenario.substring("sigkill-".length()) + "=300ms";
			}
			case "two-instances" -> {
				// Every first attempt times out while the handler still runs; the retry
				// lands on the other instance.
				instances = 2;
				latency = "400ms";
				requestTimeout = Duration.ofMillis(300);
			}
			default -> throw new IllegalArgumentException("Unknown scenario " + scenario + "; known: " + ALL);
		}
		// The provider lives in a process of its own for the whole scenario: it outlives
		// the app processes killed, and its count covers them all.
		ChaosProvider provider = ChaosProvider.start(jar, logDirectory.resolve(scenarioTag + "-provider.log"), latency,
				START_TIMEOUT);
		List<String> arguments = List.of("--spring.profiles.active=prod",
				"--spring.datasource.url=" + postgres.jdbcUrl(), "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--spring.datasource.hikari.connection-timeout=2000",
				"--spring.data.redis.url=" + redis.url(), "--payments.gateway.provider-url=" + provider.url(),
				"--idempotency.lock-timeout=" + lockTimeout, "--idempotency.atomicity=" + atomicity);
		if (pause != null) {
			arguments = new ArrayList<>(arguments);
			arguments.add(pause);
		}
		List<AppInstance> apps = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			apps.add(new AppInstance(jar, logDirectory, scenarioTag + "-app" + i, arguments));
		}
		try (provider) {
			for (AppInstance app : apps) {
				app.start(START_TIMEOUT);
			}
			AtomicInteger next = new AtomicInteger();
			PaymentsClient client = new PaymentsClient(
					new PaymentsClient.Settings(payments, workers, requestTimeout, 300, Duration.ofSeconds(150),
							scenarioTag + "-", rate),
					() -> apps.get(Math.floorMod(next.getAndIncrement(), apps.size())).baseUrl());
			AtomicReference<Throwable> faultFailure = new AtomicReference<>();
			Thread fault = new Thread(() -> {
				try {
					inject(scenario, client, postgres, redis, apps);
				}
				catch (Throwable ex) {
					faultFailure.set(ex);
				}
			}, "chaos-fault");
			fault.start();
			client.run();
			fault.join(Duration.ofSeconds(180).toMillis());
			List<String> problems = new ArrayList<>();
			if (fault.isAlive() || faultFailure.get() != null) {
				problems.add("fault injection did not complete: " + faultFailure.get());
			}
			long charges = provider.charges();
			if (charges < 0) {
				problems.add("could not read the provider's charges from " + provider.url() + "/counts");
			}
			return check(scenario, client, postgres, charges, problems);
		}
		finally {
			apps.forEach(AppInstance::close);
		}
	}

	private void inject(String scenario, PaymentsClient client, ChaosPostgres postgres, ChaosRedis redis,
			List<AppInstance> apps) throws Exception {
		Duration wait = Duration.ofSeconds(120);
		switch (scenario) {
			case "redis-restart" -> {
				client.awaitFinished(payments / 4, wait);
				log("  killing Redis for 2 s");
				redis.restart(2000);
				log("  Redis back, empty");
			}
			case "redis-flush" -> {
				client.awaitFinished(payments / 4, wait);
				log("  FLUSHALL");
				redis.flushAll();
				client.awaitFinished(payments * 3 / 5, wait);
				log("  FLUSHALL again");
				redis.flushAll();
			}
			case "postgres-restart" -> {
				client.awaitFinished(payments / 4, wait);
				log("  stopping PostgreSQL for 3 s");
				postgres.restart(3000);
				log("  PostgreSQL back");
			}
			case "app-sigkill", "sigkill-before-commit", "sigkill-after-commit" -> {
				client.awaitFinished(payments / 3, wait);
				AppInstance app = apps.get(0);
				log("  SIGKILL to the app (requests in flight)");
				app.kill();
				long begin = System.nanoTime();
				app.start(START_TIMEOUT);
				log("  app restarted in " + (System.nanoTime() - begin) / 1_000_000 + " ms");
			}
			default -> {
			}
		}
	}

	private ScenarioResult check(String scenario, PaymentsClient client, ChaosPostgres postgres, long charges,
			List<String> problems) throws SQLException, InterruptedException {
		String prefix = scenarioTag + "-";
		Map<String, List<String>> rows = new LinkedHashMap<>();
		try (Connection connection = postgres.connect()) {
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT description, id FROM payments WHERE description LIKE ?")) {
				statement.setString(1, prefix + "%");
				try (ResultSet resultSet = statement.executeQuery()) {
					while (resultSet.next()) {
						rows.computeIfAbsent(resultSet.getString(1), (k) -> new ArrayList<>())
							.add(resultSet.getString(2));
					}
				}
			}
		}
		// In-flight rows left behind: a handler ran but its outcome could not be
		// recorded (the database went away in between), or a killed request's lock.
		// Once their lock has expired they must not block anyone: one more request
		// with the key must get the key's payment, not 409.
		Map<String, Long> inFlight = inFlight(postgres, prefix);
		// In one transaction a claim is never left behind: the database aborts what it
		// did not commit.
		int orphans = "transaction".equals(atomicity) ? inFlight.size() : 0;
		if (orphans > 0) {
			problems.add("orphan claim rows (in flight after every client finished): " + inFlight.keySet());
		}
		long waitMillis = inFlight.values().stream().mapToLong(Long::longValue).max().orElse(0);
		if (waitMillis > 0) {
			log("  " + inFlight.size() + " in-flight records left; probing them after their lock expires in "
					+ waitMillis + " ms");
			Thread.sleep(Math.min(waitMillis + 500, 60_000));
		}
		int stuck = 0;
		for (String key : inFlight.keySet()) {
			String answer = client.probe(key);
			List<String> paymentRows = rows.getOrDefault(key, List.of());
			if (!paymentRows.contains(answer)) {
				stuck++;
				problems.add("stuck: " + key + " answered " + answer + " after its lock expired; rows " + paymentRows);
			}
		}
		int duplicates = 0;
		int lost = 0;
		Map<String, Set<String>> successes = client.successIds();
		for (int i = 0; i < client.payments(); i++) {
			String key = client.key(i);
			List<String> paymentRows = rows.getOrDefault(key, List.of());
			Set<String> answered = successes.getOrDefault(key, Set.of());
			if (paymentRows.size() > 1 || answered.size() > 1
					|| (answered.size() == 1 && paymentRows.size() == 1 && !paymentRows.containsAll(answered))) {
				duplicates++;
				problems.add("duplicate: " + key + " rows " + paymentRows + ", answered " + answered);
			}
			else if (answered.isEmpty() || paymentRows.isEmpty()) {
				lost++;
				problems.add("lost: " + key + " rows " + paymentRows + ", answered " + answered);
			}
		}
		List<String> withoutResponse = paymentsWithoutStoredResponse(postgres, prefix);
		withoutResponse.forEach((key) -> problems.add("payment row without a stored response: " + key));
		client.gaveUp().forEach((g) -> problems.add("gave up: " + g));
		client.unexpected().forEach((u) -> problems.add("unexpected 5xx: " + u));
		long extra = 0;
		int rowCount = rows.values().stream().mapToInt(List::size).sum();
		if (charges >= 0) {
			extra = Math.max(0, charges - rowCount);
			if (charges != rowCount) {
				problems.add("gateway charged " + charges + " times for " + rowCount + " payment rows");
			}
		}
		return new ScenarioResult(scenario + " (" + atomicity + ")", client.payments(), client.requests(),
				client.conflicts(), client.unavailable(), client.ioFailures(), duplicates, lost, stuck, orphans,
				withoutResponse.size(), client.unexpected().size(), charges, extra, client.maxRequest(),
				client.maxPayment(), List.copyOf(problems));
	}

	/**
	 * Keys of the scenario's payment rows whose idempotency record holds no response: a
	 * payment made whose retry could run it again. Read once every client has finished
	 * and every stuck key was probed.
	 */
	private static List<String> paymentsWithoutStoredResponse(ChaosPostgres postgres, String prefix)
			throws SQLException {
		List<String> keys = new ArrayList<>();
		try (Connection connection = postgres.connect();
				PreparedStatement statement = connection.prepareStatement("SELECT p.description FROM payments p"
						+ " WHERE p.description LIKE ? AND NOT EXISTS (SELECT 1 FROM idempotency_keys k"
						+ " WHERE k.idempotency_key = p.description AND k.response IS NOT NULL)")) {
			statement.setString(1, prefix + "%");
			try (ResultSet resultSet = statement.executeQuery()) {
				while (resultSet.next()) {
					keys.add(resultSet.getString(1));
				}
			}
		}
		return keys;
	}

	/**
	 * In-flight rows of the scenario's keys, with the milliseconds until each lock
	 * expires (0 if it has).
	 */
	private static Map<String, Long> inFlight(ChaosPostgres postgres, String prefix) throws SQLException {
		Map<String, Long> keys = new LinkedHashMap<>();
		try (Connection connection = postgres.connect();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT idempotency_key, GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()) * 1000) FROM idempotency_keys"
								+ " WHERE idempotency_key LIKE ? AND response IS NULL")) {
			statement.setString(1, prefix + "%");
			try (ResultSet resultSet = statement.executeQuery()) {
				while (resultSet.next()) {
					keys.put(resultSet.getString(1), (long) resultSet.getDouble(2));
				}
			}
		}
		return keys;
	}

	private static void log(String message) {
		System.out.println(Instant.now() + " " + message);
	}

}
