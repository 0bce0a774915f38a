package dev.idempotency;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A completed response as it is stored and replayed: status, the headers chosen for
 * replay (in order) and the body bytes, and the trace id of the operation that produced
 * it, which is kept for operators and never replayed to clients.
 *
 * @param status the HTTP status code
 * @param headers header names to their values, in the order they were written
 * @param body the body, byte for byte
 * @param traceId the trace id of the operation that produced the response, or
 * {@code null} when it was not traced: 1 to {@value #MAX_TRACE_ID_LENGTH} visible ASCII
 * characters
 */
public record StoredResponse(int status, Map<String, List<String>> headers, byte[] body, @Nullable String traceId) {

	/** Longest trace id kept with a response. */
	public static final int MAX_TRACE_ID_LENGTH = 128;

	public StoredResponse {
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("status must be an HTTP status code, not " + status);
		}
		if (traceId != null && !isTraceId(traceId)) {
			throw new IllegalArgumentException(
					"traceId must have 1 to " + MAX_TRACE_ID_LENGTH + " visible ASCII characters");
		}
		LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		headers = java.util.Collections.unmodifiableMap(copy);
		body = body.clone();
	}

	/**
	 * A response without a trace id.
	 * @param status the HTTP status code
	 * @param headers header names to their values, in the order they were written
	 * @param body the body, byte for byte
	 */
	public StoredResponse(int status, Map<String, List<String>> headers, byte[] body) {
		this(status, headers, body, null);
	}

	/**
	 * This response with the trace id of the operation that produced it.
	 * @param traceId the trace id
	 * @return a copy with the trace id
	 * @throws IllegalArgumentException if it is not 1 to {@value #MAX_TRACE_ID_LENGTH}
	 * visible ASCII characters
	 */
	public StoredResponse withTraceId(String traceId) {
		return new StoredResponse(status, headers, body, traceId);
	}

	@Override
	public byte[] body() {
		return body.clone();
	}

	/**
	 * The body's length, without copying it.
	 * @return the number of body bytes
	 */
	public int bodyLength() {
		return body.length;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof StoredResponse that && status == that.status && headers.equals(that.headers)
				&& Arrays.equals(body, that.body) && Objects.equals(traceId, that.traceId);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body)) + Objects.hashCode(traceId);
	}

	@Override
	public String toString() {
		return "StoredResponse[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes"
				+ ((traceId != null) ? ", traceId=" + traceId : "") + "]";
	}

	private static boolean isTraceId(String traceId) {
		if (traceId.isEmpty() || traceId.length() > MAX_TRACE_ID_LENGTH) {
			return false;
		}
		for (int i = 0; i < traceId.length(); i++) {
			char c = traceId.charAt(i);
			if (c < 0x21 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

}
