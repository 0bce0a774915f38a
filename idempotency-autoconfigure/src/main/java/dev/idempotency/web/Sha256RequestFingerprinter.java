package dev.idempotency.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;

/**
 * SHA-256 over the method, path, query string and body. JSON bodies are canonicalised
 * first (when enabled), so member order and whitespace do not make a retry look like a
 * different request; a body that is not valid JSON is hashed as it is.
 */
public class Sha256RequestFingerprinter implements RequestFingerprinter {

	private final boolean canonicalJson;

	/**
	 * Creates a fingerprinter.
	 * @param canonicalJson whether JSON bodies are canonicalised before hashing
	 */
	public Sha256RequestFingerprinter(boolean canonicalJson) {
		this.canonicalJson = canonicalJson;
	}

	@Override
	public String fingerprint(HttpServletRequest request, byte[] body) {
		MessageDigest digest = Sha256.newDigest();
		update(digest, request.getMethod());
		update(digest, RequestPaths.of(request));
		update(digest, (request.getQueryString() != null) ? request.getQueryString() : "");
		digest.update(canonicalBody(request, body));
		return HexFormat.of().formatHex(digest.digest());
	}

	private byte[] canonicalBody(HttpServletRequest request, byte[] body) {
		if (!canonicalJson || body.length == 0 || !isJson(request.getContentType())) {
			return body;
		}
		String canonical = JsonCanonicalizer.canonicalize(new String(body, StandardCharsets.UTF_8));
		return (canonical != null) ? canonical.getBytes(StandardCharsets.UTF_8) : body;
	}

	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static void update(MessageDigest digest, String part) {
		byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
		digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		digest.update((byte) ':');
		digest.update(bytes);
	}

}
