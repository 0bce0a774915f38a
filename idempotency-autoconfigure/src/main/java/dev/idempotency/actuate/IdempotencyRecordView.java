package dev.idempotency.actuate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code idempotency} endpoint shows of a key's record: everything
 * {@link dev.idempotency.IdempotencyStore#find} reports. Times are the store's clock;
 * each is {@code null} where the store cannot tell it (a store of your own that reports
 * only fingerprint and response, or a two-layer store's cache holding a response the
 * database has not got).
 *
 * @param scope the key's scope
 * @param endpoint the key's endpoint
 * @param key the client's key
 * @param state {@value #IN_FLIGHT} while the first request runs, {@value #COMPLETED} once
 * its response is stored
 * @param fingerprint the fingerprint of the request that claimed the key
 * @param createdAt when the key was last acquired
 * @param expiresAt when the record expires: its lock's end while in flight, its
 * retention's end once completed
 * @param lock whether the running request holds the key's lock, and until when
 * @param fencingToken the fencing token of the key's last acquisition
 * @param originalTraceId the trace id of the operation that stored the response (its
 * replays name it as {@code idempotency.original.trace.id}), or {@code null} while in
 * flight or when it was not traced
 * @param status the stored status, or {@code null} while in flight
 * @param headers the stored headers, or {@code null} while in flight
 * @param bodyLength the stored body's length in bytes, or {@code null} while in flight
 * @param bodyEncoding {@value #TEXT} or {@value #BASE64} when the body is shown, else
 * {@code null}
 * @param body the stored body (only when asked for), as text when it is UTF-8, else in
 * Base64
 */
public record IdempotencyRecordView(String scope, String endpoint, String key, String state, String fingerprint,
		@Nullable Instant createdAt, @Nullable Instant expiresAt, Lock lock, @Nullable Long fencingToken,
		@Nullable String originalTraceId, @Nullable Integer status, @Nullable Map<String, List<String>> headers,
		@Nullable Integer bodyLength, @Nullable String bodyEncoding, @Nullable String body) {

	/** The state of a key whose first request runs. */
	public static final String IN_FLIGHT = "in_flight";

	/** The state of a key whose response is stored. */
	public static final String COMPLETED = "completed";

	/** The encoding of a body shown as it is. */
	public static final String TEXT = "text";

	/** The encoding of a body that is not UTF-8 text. */
	public static final String BASE64 = "base64";

	static IdempotencyRecordView of(IdempotencyKey key, IdempotencyRecord record, boolean withBody) {
		StoredResponse response = record.response();
		if (response == null) {
			return new IdempotencyRecordView(key.scope(), key.endpoint(), key.clientKey(), IN_FLIGHT,
					record.fingerprint(), record.createdAt(), record.expiresAt(), new Lock(true, record.expiresAt()),
					record.fencingToken(), null, null, null, null, null, null);
		}
		byte[] bytes = response.body();
		String text = withBody ? utf8(bytes) : null;
		String encoding = withBody ? ((text != null) ? TEXT : BASE64) : null;
		String body = withBody ? ((text != null) ? text : Base64.getEncoder().encodeToString(bytes)) : null;
		return new IdempotencyRecordView(key.scope(), key.endpoint(), key.clientKey(), COMPLETED, record.fingerprint(),
				record.createdAt(), record.expiresAt(), new Lock(false, null), record.fencingToken(),
				response.traceId(), response.status(), response.headers(), bytes.length, encoding, body);
	}

	/**
	 * The state of a key's lock.
	 *
	 * @param held whether the first request still runs and holds the key (in flight)
	 * @param expiresAt when the lock expires unless renewed, while held; {@code null}
	 * once the response is stored, or when the store cannot tell
	 */
	public record Lock(boolean held, @Nullable Instant expiresAt) {

	}

	private static @Nullable String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
