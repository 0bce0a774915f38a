package dev.idempotency.jdbc;

import java.time.Duration;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.StoredResponseCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * An unexpired row, as a claim or a find reads it.
 *
 * @param fingerprint the fingerprint of the request that holds the key
 * @param response the encoded response once completed, else {@code null}
 * @param remainingMillis how long until the row expires
 */
record LiveRow(String fingerprint, byte @Nullable [] response, long remainingMillis) {

	/** Reads the row that a {@code selectLive} statement selects. */
	static final RowMapper<LiveRow> MAPPER = (rs, row) -> new LiveRow(rs.getString("fingerprint"),
			rs.getBytes("response"), rs.getLong("remaining_millis"));

	ClaimResult answer(String requestFingerprint) {
		if (!fingerprint.equals(requestFingerprint)) {
			return new ClaimResult.Mismatch();
		}
		StoredResponse stored = decodedResponse();
		if (stored != null) {
			return new ClaimResult.Completed(stored);
		}
		return new ClaimResult.InFlight(Duration.ofMillis(Math.max(1, remainingMillis)));
	}

	IdempotencyRecord toRecord() {
		return new IdempotencyRecord(fingerprint, decodedResponse());
	}

	private @Nullable StoredResponse decodedResponse() {
		if (response == null) {
			return null;
		}
		try {
			return StoredResponseCodec.decode(response);
		}
		catch (IllegalArgumentException ex) {
			throw new IdempotencyStoreException("Stored response is unreadable", ex);
		}
	}

}
