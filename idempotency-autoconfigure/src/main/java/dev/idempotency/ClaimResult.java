package dev.idempotency;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What {@link IdempotencyStore#claim} found. Callers switch over every case.
 */
public sealed interface ClaimResult
		permits ClaimResult.Acquired, ClaimResult.Completed, ClaimResult.InFlight, ClaimResult.Mismatch {

	/**
	 * The caller owns the key and runs the operation; it must later
	 * {@link IdempotencyStore#complete complete} or {@link IdempotencyStore#release
	 * release} it with this token, and may {@link IdempotencyStore#renew renew} its lock
	 * while it runs.
	 * <p>
	 * The fencing token strictly increases across the acquisitions of one key, takeovers
	 * of expired locks and acquisitions after the record was deleted included (it is
	 * drawn from the store's clock in microseconds, and exceeds the key's previous token
	 * where the store still has it). A downstream system that remembers the highest token
	 * it saw for the key can refuse the writes of an owner whose lock was taken over.
	 *
	 * @param lockToken proves ownership; a request whose lock expired and was taken over
	 * holds a stale token
	 * @param fencingToken orders the owners of the key: a later owner has a greater one
	 */
	record Acquired(String lockToken, long fencingToken) implements ClaimResult {
	}

	/**
	 * The operation already completed with the same request: replay its response.
	 * <p>
	 * Two answers are equal when they replay the same response: how long the store still
	 * keeps it is a hint for caches in front of the store, not part of the answer.
	 *
	 * @param response the stored response
	 * @param retainedFor about how long the store still keeps the response, or
	 * {@code null} when it does not say; a cache in front of the store keeps the answer
	 * no longer
	 */
	record Completed(StoredResponse response, @Nullable Duration retainedFor) implements ClaimResult {

		/**
		 * An answer that does not say how long the store keeps the response.
		 * @param response the stored response
		 */
		public Completed(StoredResponse response) {
			this(response, null);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Completed that && response.equals(that.response);
		}

		@Override
		public int hashCode() {
			return response.hashCode();
		}

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
