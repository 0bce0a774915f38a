package dev.idempotency;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a store holds for a key, as {@link IdempotencyStore#find} reports it. The times
 * and the fencing token are what the store can tell, each {@code null} when it cannot
 * (stores written before they existed report none).
 *
 * @param fingerprint the fingerprint of the request that claimed the key
 * @param response the stored response, or {@code null} while the request runs
 * @param createdAt when the key was last acquired (by the store's clock), or {@code null}
 * if the store cannot tell
 * @param expiresAt when the record expires: the end of the lock while the request runs,
 * the end of the retention once completed; {@code null} if the store cannot tell
 * @param fencingToken the fencing token of the key's last acquisition, or {@code null} if
 * the store cannot tell
 */
public record IdempotencyRecord(String fingerprint, @Nullable StoredResponse response, @Nullable Instant createdAt,
		@Nullable Instant expiresAt, @Nullable Long fencingToken) {

	/**
	 * A record whose times and fencing token the store cannot tell.
	 * @param fingerprint the fingerprint of the request that claimed the key
	 * @param response the stored response, or {@code null} while the request runs
	 */
	public IdempotencyRecord(String fingerprint, @Nullable StoredResponse response) {
		this(fingerprint, response, null, null, null);
	}

	/**
	 * Whether the operation completed and its response is stored.
	 * @return {@code true} once completed
	 */
	public boolean isCompleted() {
		return response != null;
	}

}
