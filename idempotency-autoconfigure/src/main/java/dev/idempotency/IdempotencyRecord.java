package dev.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * What a store holds for a key, as {@link IdempotencyStore#find} reports it.
 *
 * @param fingerprint the fingerprint of the request that claimed the key
 * @param response the stored response, or {@code null} while the request runs
 */
public record IdempotencyRecord(String fingerprint, @Nullable StoredResponse response) {

	/**
	 * Whether the operation completed and its response is stored.
	 * @return {@code true} once completed
	 */
	public boolean isCompleted() {
		return response != null;
	}

}
