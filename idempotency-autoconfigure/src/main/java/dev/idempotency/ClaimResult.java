package dev.idempotency;

import java.time.Duration;

/**
 * What {@link IdempotencyStore#claim} found. Callers switch over every case.
 */
public sealed interface ClaimResult
		permits ClaimResult.Acquired, ClaimResult.Completed, ClaimResult.InFlight, ClaimResult.Mismatch {

	/**
	 * The caller owns the key and runs the operation; it must later
	 * {@link IdempotencyStore#complete complete} or {@link IdempotencyStore#release
	 * release} it with this token.
	 *
	 * @param lockToken proves ownership; a request whose lock expired and was taken over
	 * holds a stale token
	 */
	record Acquired(String lockToken) implements ClaimResult {
	}

	/**
	 * The operation already completed with the same request: replay its response.
	 *
	 * @param response the stored response
	 */
	record Completed(StoredResponse response) implements ClaimResult {
	}

	/**
	 * Another request with the same key and the same request is still running.
	 *
	 * @param retryAfter about how long until its lock expires at the latest
	 */
	record InFlight(Duration retryAfter) implements ClaimResult {
	}

	/**
	 * The key is in use (running or completed) by a different request.
	 */
	record Mismatch() implements ClaimResult {
	}

}
