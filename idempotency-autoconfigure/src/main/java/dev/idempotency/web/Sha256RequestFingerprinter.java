package dev.idempotency.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * SHA-256 over the method, path, query string and body. JSON bodies are canonicalised
 * first (when enabled), so member order and whitespace do not make a retry look like a
 * different request; a body that is not valid JSON in the charset its Content-Type
 * declares is hashed as it is.
 */
public class Sha256RequestFingerprinter implements RequestFingerprinter {

	/** Precedes a body hashed as sent. */
	private static final byte RAW = 'R';

	/**
	 * Precedes a canonical body, so that it never collides with a body hashed as sent.
	 */
	private static final byte CANONICAL = 'C';

	private final boolean canonicalJson;

	private final boolean normalizeNumbers;

	/**
	 * Creates a fingerprinter that keeps JSON numbers as spelled.
	 * @param canonicalJson whether JSON bodies are canonicalised before hashing
	 */
	public Sha256RequestFingerprinter(boolean canonicalJson) {
		this(canonicalJson, false);
	}

	/**
	 * Creates a fingerprinter.
	 * @param canonicalJson whether JSON bodies are canonicalised before hashing
	 * @param normalizeNumbers whether canonical JSON compares numbers by value, so that
	 * {@code 100}, {@code 100.0} and {@code 1e2} are one request
	 */
	public Sha256RequestFingerprinter(boolean canonicalJson, boolean normalizeNumbers) {
		this.canonicalJson = canonicalJson;
		this.normalizeNumbers = normalizeNumbers;
	}

	@Override
	public String fingerprint(HttpServletRequest request, byte[] body) {
		MessageDigest digest = Sha256.newDigest();
		update(digest, request.getMethod());
		update(digest, RequestPaths.of(request));
		update(digest, (request.getQueryString() != null) ? request.getQueryString() : "");
		ByteBuffer canonical = canonicalBody(request, body);
		if (canonical != null) {
			digest.update(CANONICAL);
			digest.update(canonical);
		}
		else {
			digest.update(RAW);
			digest.update(body);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private @Nullable ByteBuffer canonicalBody(HttpServletRequest request, byte[] body) {
		if (!canonicalJson || body.length == 0) {
			return null;
		}
		// The header, not getCharacterEncoding(): Spring Boot's CharacterEncodingFilter
		// forces the request's encoding to UTF-8 whatever the client declared.
		Charset charset = jsonCharset(request.getHeader(HttpHeaders.CONTENT_TYPE));
		CharBuffer json = (charset != null) ? decode(body, charset) : null;
		return (json != null) ? JsonCanonicalizer.canonicalize(json, normalizeNumbers) : null;
	}

	/**
	 * The charset of a JSON body: the one declared, else UTF-8 (RFC 8259); {@code null}
	 * when the body is not JSON or the charset is unknown.
	 */
	private static @Nullable Charset jsonCharset(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			if (!type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.getSubtype().endsWith("+json")) {
				return null;
			}
			Charset charset = type.getCharset();
			return (charset != null) ? charset : StandardCharsets.UTF_8;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Decodes strictly: bytes that are not valid in the charset would all become U+FFFD,
	 * and different bodies one fingerprint.
	 */
	private static @Nullable CharBuffer decode(byte[] body, Charset charset) {
		try {
			return charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body));
		}
		catch (CharacterCodingException | UnsupportedOperationException ex) {
			return null;
		}
	}

	private static void update(MessageDigest digest, String part) {
		byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
		digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		digest.update((byte) ':');
		digest.update(bytes);
	}

}
