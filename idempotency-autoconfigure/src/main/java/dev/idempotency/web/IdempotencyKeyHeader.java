package dev.idempotency.web;

import java.util.Enumeration;

import dev.idempotency.IdempotencyKey;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads the client's key from the request. Accepts the bare form ({@code abc}) and the
 * IETF draft's structured-field string ({@code "abc"}) as the same key; rejects empty,
 * too long, repeated and non-printable-ASCII keys.
 */
final class IdempotencyKeyHeader {

	private IdempotencyKeyHeader() {
	}

	/**
	 * Reads the key.
	 * @param request the request
	 * @param headerName the header that carries the key
	 * @return the key, or {@code null} when the header is absent
	 * @throws IdempotencyProblem when the key is malformed
	 */
	static @Nullable String read(HttpServletRequest request, String headerName) {
		Enumeration<String> values = request.getHeaders(headerName);
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		String value = values.nextElement();
		if (values.hasMoreElements()) {
			throw IdempotencyProblem.invalidKey("The " + headerName + " header must appear once.");
		}
		return parse(value.strip(), headerName);
	}

	private static String parse(String raw, String headerName) {
		String key = isQuoted(raw) ? unquote(raw, headerName) : raw;
		if (key.isEmpty()) {
			throw IdempotencyProblem.invalidKey("The " + headerName + " header must not be empty.");
		}
		if (key.length() > IdempotencyKey.MAX_CLIENT_KEY_LENGTH) {
			throw IdempotencyProblem.invalidKey("The " + headerName + " header must have at most "
					+ IdempotencyKey.MAX_CLIENT_KEY_LENGTH + " characters.");
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c < 0x20 || c > 0x7E) {
				throw IdempotencyProblem
					.invalidKey("The " + headerName + " header must contain printable ASCII characters only.");
			}
		}
		return key;
	}

	private static boolean isQuoted(String raw) {
		return raw.length() >= 2 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"';
	}

	/**
	 * Structured-field string (RFC 8941 3.3.3): only {@code \"} and {@code \\} escapes.
	 */
	private static String unquote(String raw, String headerName) {
		StringBuilder key = new StringBuilder(raw.length());
		for (int i = 1; i < raw.length() - 1; i++) {
			char c = raw.charAt(i);
			if (c == '\\') {
				char next = (i + 1 < raw.length() - 1) ? raw.charAt(++i) : 0;
				if (next != '"' && next != '\\') {
					throw IdempotencyProblem.invalidKey("The " + headerName + " header has an invalid escape.");
				}
				key.append(next);
			}
			else if (c == '"') {
				throw IdempotencyProblem.invalidKey("The " + headerName + " header has an unescaped quote.");
			}
			else {
				key.append(c);
			}
		}
		return key.toString();
	}

}
