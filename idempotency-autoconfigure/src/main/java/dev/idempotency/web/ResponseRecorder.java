package dev.idempotency.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.idempotency.StoredResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Turns a captured response into a {@link StoredResponse} and writes a stored one back.
 * Only allow-listed headers travel: never {@code Set-Cookie}, {@code Date} or rate-limit
 * headers, which belong to the response they were sent with.
 */
final class ResponseRecorder {

	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private static final String CONTENT_TYPE = "content-type";

	private final Set<String> replayedHeaders;

	ResponseRecorder(Set<String> replayedHeaders) {
		this.replayedHeaders = replayedHeaders.stream()
			.map((name) -> name.toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	StoredResponse record(HttpServletResponse response, byte[] body) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : Set.copyOf(response.getHeaderNames())) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (replayedHeaders.contains(lower) && !lower.equals(CONTENT_TYPE)) {
				headers.put(name, List.copyOf(response.getHeaders(name)));
			}
		}
		String contentType = response.getContentType();
		if (contentType != null && replayedHeaders.contains(CONTENT_TYPE)) {
			headers.put("Content-Type", List.of(contentType));
		}
		return new StoredResponse(response.getStatus(), headers, body);
	}

	/**
	 * Writes a stored response. The allow-list applies again: a store that someone else
	 * can write to must not be a way to send a header this application never replays.
	 */
	void replay(StoredResponse stored, HttpServletResponse response) throws IOException {
		response.setStatus(stored.status());
		stored.headers().forEach((name, values) -> {
			if (!replayedHeaders.contains(name.toLowerCase(Locale.ROOT)) || values.isEmpty()) {
				return;
			}
			if (name.equalsIgnoreCase(CONTENT_TYPE)) {
				response.setContentType(values.get(0));
			}
			else {
				values.forEach((value) -> response.addHeader(name, value));
			}
		});
		response.setHeader(REPLAYED_HEADER, "true");
		byte[] body = stored.body();
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	static @Nullable CapturingResponse unwrap(HttpServletResponse response) {
		return org.springframework.web.util.WebUtils.getNativeResponse(response, CapturingResponse.class);
	}

}
