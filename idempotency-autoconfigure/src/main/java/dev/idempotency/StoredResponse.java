package dev.idempotency;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A completed response as it is stored and replayed: status, the headers chosen for
 * replay (in order) and the body bytes.
 *
 * @param status the HTTP status code
 * @param headers header names to their values, in the order they were written
 * @param body the body, byte for byte
 */
public record StoredResponse(int status, Map<String, List<String>> headers, byte[] body) {

	public StoredResponse {
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("status must be an HTTP status code, not " + status);
		}
		LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
		headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
		headers = java.util.Collections.unmodifiableMap(copy);
		body = body.clone();
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
				&& Arrays.equals(body, that.body);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
	}

	@Override
	public String toString() {
		return "StoredResponse[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
	}

}
