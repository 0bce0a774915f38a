package dev.idempotency.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.store.StoredResponseCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;

/**
 * An unexpired row, as a claim reads it; {@link #RECORD_MAPPER} reads one for a find.
 *
 * @param fingerprint the fingerprint of the request that holds the key
 * @param response the encoded response once completed, else {@code null}
 * @param remainingMillis how long until the row expires
 */
record LiveRow(String fingerprint, byte @Nullable [] response, long remainingMillis) {

	/** Reads the row that a {@code selectLive} statement selects. */
	static final RowMapper<LiveRow> MAPPER = (rs, row) -> new LiveRow(rs.getString("fingerprint"),
			rs.getBytes("response"), rs.getLong("remaining_millis"));

	/**
	 * Reads the row that a {@code selectRecord} statement selects: a claim's columns, its
	 * times and its fencing token.
	 */
	static final RowMapper<IdempotencyRecord> RECORD_MAPPER = (rs, row) -> new IdempotencyRecord(
			rs.getString("fingerprint"), decoded(rs.getBytes("response")), instant(rs.getLong("created_micros")),
			instant(rs.getLong("expires_micros")), rs.getLong("fencing_token"));

	ClaimResult answer(String requestFingerprint) {
		if (!fingerprint.equals(requestFingerprint)) {
			return new ClaimResult.Mismatch();
		}
		StoredResponse stored = decodedResponse();
		if (stored != null) {
			return new ClaimResult.Completed(stored, Duration.ofMillis(Math.max(0, remainingMillis)));
		}
		return new ClaimResult.InFlight(Duration.ofMillis(Math.max(1, remainingMillis)));
	}

	private @Nullable StoredResponse decodedResponse() {
		return decoded(response);
	}

	private static @Nullable StoredResponse decoded(byte @Nullable [] response) {
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

	private static Instant instant(long epochMicros) {
		return Instant.EPOCH.plus(epochMicros, ChronoUnit.MICROS);
	}

}
