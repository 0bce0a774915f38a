package com.example.shop;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One response as the client received it.
 *
 * @param status the status code
 * @param headers the headers
 * @param body the body's bytes
 */
record Exchange(int status, HttpHeaders headers, byte[] body) {

	static Exchange of(HttpResponse<byte[]> response) {
		return new Exchange(response.statusCode(), response.headers(), response.body());
	}

	@Nullable String header(String name) {
		return headers.firstValue(name).orElse(null);
	}

	boolean replayed() {
		return "true".equals(header("Idempotent-Replayed"));
	}

	String text() {
		return new String(body, StandardCharsets.UTF_8);
	}

	/**
	 * The {@code type} of a problem details body, or {@code null} when the body is not
	 * {@code application/problem+json}.
	 */
	@Nullable String problemType() {
		String contentType = header("Content-Type");
		if (contentType == null || !contentType.startsWith("application/problem+json")) {
			return null;
		}
		return JsonMapper.shared().readTree(body).path("type").asString();
	}

	@Override
	public String toString() {
		String text = text();
		return status + " " + headers.map() + " " + text.substring(0, Math.min(300, text.length()));
	}

}
