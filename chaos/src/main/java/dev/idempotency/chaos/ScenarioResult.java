package dev.idempotency.chaos;

import java.time.Duration;
import java.util.List;

/**
 * What one scenario measured, and whether its invariants held.
 *
 * @param scenario the scenario's name
 * @param payments logical payments (one key each)
 * @param requests HTTP attempts
 * @param conflicts {@code 409} answers (retried)
 * @param unavailable documented {@code 503 store-unavailable} answers (retried)
 * @param ioFailures timeouts, refused and reset connections (retried)
 * @param duplicates keys charged or answered with more than one payment
 * @param lost keys without a success, or whose success has no payment row
 * @param stuck key records still in flight after every client finished, that answered
 * anything but the key's payment once their lock expired
 * @param orphans in transactional mode, key records in flight after every client finished
 * (there must be none: the database aborts what it did not commit)
 * @param withoutResponse payment rows whose key record holds no stored response
 * @param unexpected5xx {@code 5xx} answers other than the documented {@code 503}
 * @param gatewayCharges the provider's own count of charges (its process outlives the
 * apps killed), or -1 when it could not be read (then a problem says so)
 * @param gatewayExtra charges beyond one per payment row (must be 0; 0 when unknown)
 * @param maxRequest slowest single attempt
 * @param maxPayment slowest payment, first attempt to success
 * @param problems details of every violation
 */
record ScenarioResult(String scenario, int payments, long requests, long conflicts, long unavailable, long ioFailures,
		int duplicates, int lost, int stuck, int orphans, int withoutResponse, int unexpected5xx, long gatewayCharges,
		long gatewayExtra, Duration maxRequest, Duration maxPayment, List<String> problems) {

	long retries() {
		return requests - payments;
	}

	boolean passed() {
		return duplicates == 0 && lost == 0 && stuck == 0 && orphans == 0 && withoutResponse == 0 && unexpected5xx == 0
				&& gatewayExtra == 0 && problems.isEmpty();
	}

	static String header() {
		return "| scenario | payments | requests | retries | 409 | 503 | timeouts/refused | duplicates | lost | stuck | orphan claims | payments without response | other 5xx | gateway charges | max request | max payment | result |\n"
				+ "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |";
	}

	String row() {
		return "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d ms | %d ms | %s |".formatted(
				scenario, payments, requests, retries(), conflicts, unavailable, ioFailures, duplicates, lost, stuck,
				orphans, withoutResponse, unexpected5xx, gatewayCharges, maxRequest.toMillis(), maxPayment.toMillis(),
				passed() ? "pass" : "**FAIL**");
	}

}
