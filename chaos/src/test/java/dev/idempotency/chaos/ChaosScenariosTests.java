package dev.idempotency.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault scenarios that take about a minute, as part of {@code ./mvnw verify}: Redis
 * killed and restarted, Redis flushed (twice), and the app killed while payments wait
 * between their writes and their commit, each under 50 retried payments against a real
 * app process (payments in one transaction with their keys, the sample's default). The
 * full set runs with {@code chaos/run.sh}.
 */
class ChaosScenariosTests {

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void redisFaultsNeitherDuplicateNorLosePayments() throws Exception {
		ChaosRun run = new ChaosRun(ChaosRun.appJar(null), Path.of("target/chaos-logs"), 50, 8, 20);
		List<ScenarioResult> results = run.run(List.of("redis-restart", "redis-flush"));
		String report = ChaosRun.report(results);
		System.out.println(report);
		for (ScenarioResult result : results) {
			assertTrue(result.passed(), () -> result.scenario() + " failed:\n" + report + "\n"
					+ String.join("\n", result.problems().stream().limit(20).toList()));
		}
	}

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void appKilledBeforeItsCommitsNeitherDuplicatesNorLosesNorLeavesAClaim() throws Exception {
		ChaosRun run = new ChaosRun(ChaosRun.appJar(null), Path.of("target/chaos-logs"), 50, 8, 20);
		List<ScenarioResult> results = run.run(List.of("sigkill-before-commit"));
		String report = ChaosRun.report(results);
		System.out.println(report);
		for (ScenarioResult result : results) {
			assertTrue(result.passed(), () -> result.scenario() + " failed:\n" + report + "\n"
					+ String.join("\n", result.problems().stream().limit(20).toList()));
		}
	}

}
