package dev.idempotency.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * A rejection, written as an RFC 9457 problem-details body with a stable {@code type} per
 * error. The types are identifiers listed in the README; clients match on them.
 */
public final class IdempotencyProblem extends RuntimeException {

	/** Base of every problem type this library answers with. */
	public static final String TYPE_BASE = "https://idempotency.dev/problems/";

	static final String CONTENT_TYPE = "application/problem+json";

	private final int status;

	private final String slug;

	private final String title;

	private final @Nullable Duration retryAfter;

	private IdempotencyProblem(int status, String slug, String title, String detail, @Nullable Duration retryAfter) {
		super(detail, null, false, false);
		this.status = status;
		this.slug = slug;
		this.title = title;
		this.retryAfter = retryAfter;
	}

	static IdempotencyProblem missingKey(String headerName) {
		return new IdempotencyProblem(400, "missing-key", "Idempotency key missing",
				"This endpoint requires the " + headerName + " header.", null);
	}

	static IdempotencyProblem missingRequestKey(String expression) {
		return new IdempotencyProblem(400, "missing-key", "Idempotency key missing",
				"This endpoint reads its idempotency key from the request (" + expression
						+ "), and this request does not have it.",
				null);
	}

	static IdempotencyProblem invalidKey(String detail) {
		return new IdempotencyProblem(400, "invalid-key", "Idempotency key invalid", detail, null);
	}

	static IdempotencyProblem requestTooLarge(long maxBytes) {
		return new IdempotencyProblem(413, "request-too-large", "Request body too large",
				"An idempotent request body may have at most " + maxBytes + " bytes.", null);
	}

	static IdempotencyProblem inFlight(Duration retryAfter) {
		return new IdempotencyProblem(409, "request-in-progress", "Request in progress",
				"A request with this idempotency key is still being processed. Retry later with the same key.",
				retryAfter);
	}

	static IdempotencyProblem mismatch(String headerName) {
		return new IdempotencyProblem(422, "key-reused", "Idempotency key reused",
				"This idempotency key was already used with a different request. Use a new " + headerName
						+ " for a new request.",
				null);
	}

	static IdempotencyProblem storeUnavailable() {
		return new IdempotencyProblem(503, "store-unavailable", "Idempotency store unavailable",
				"The request was not processed because its idempotency key could not be recorded. Retry with the same key.",
				Duration.ofSeconds(1));
	}

	static IdempotencyProblem rolledBack() {
		return new IdempotencyProblem(503, "rolled-back", "Request rolled back",
				"The request's changes and its idempotency key could not be committed, so none of them were kept. "
						+ "Retry with the same key.",
				Duration.ofSeconds(1));
	}

	static IdempotencyProblem responseNotStored(int originalStatus) {
		return new IdempotencyProblem(409, "response-not-stored", "Response not stored",
				"The request with this idempotency key was processed (status " + originalStatus
						+ "), but its response was too large to keep. It will not be processed again; "
						+ "fetch the result (see Location, when given) instead of retrying.",
				null);
	}

	public int status() {
		return status;
	}

	/**
	 * The problem type URI, such as {@code https://idempotency.dev/problems/key-reused}.
	 * @return the type
	 */
	public String type() {
		return TYPE_BASE + slug;
	}

	/**
	 * Writes this problem as the response.
	 * @param response the response, not yet committed
	 * @param instance the request path, for the {@code instance} member
	 * @throws IOException when the client went away
	 */
	void write(HttpServletResponse response, String instance) throws IOException {
		response.resetBuffer();
		response.setStatus(status);
		response.setContentType(CONTENT_TYPE);
		if (retryAfter != null) {
			response.setHeader("Retry-After", Long.toString(Math.max(1, ceilSeconds(retryAfter))));
		}
		byte[] bytes = body(instance);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	/**
	 * This problem's body.
	 * @param instance the request path, for the {@code instance} member
	 * @return the JSON bytes
	 */
	byte[] body(String instance) {
		String body = "{\"type\":" + json(type()) + ",\"title\":" + json(title) + ",\"status\":" + status
				+ ",\"detail\":" + json(getMessage()) + ",\"instance\":" + json(instance) + "}";
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private static long ceilSeconds(Duration duration) {
		return (duration.toMillis() + 999) / 1000;
	}

	private static String json(String value) {
		StringBuilder out = new StringBuilder(value.length() + 2).append('"');
		for (char c : value.toCharArray()) {
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.append('"').toString();
	}

}
