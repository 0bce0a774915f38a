package dev.idempotency.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.idempotency.engine.Sha256;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * SHA-256 over the method, path, query string, declared content type and body. JSON
 * bodies are canonicalised first (when enabled), so member order and whitespace do not
 * make a retry look like a different request; a body that is not valid JSON in the
 * charset its Content-Type declares is hashed as it is, together with that charset (the
 * same bytes in two charsets are two texts to the handler).
 */
public class Sha256RequestFingerprinter implements RequestFingerprinter {

	/** Precedes a body hashed as sent. */
	private static final byte RAW = 'R';

	/**
	 * Precedes a canonical body, so that it never collides with a body hashed as sent.
	 */
	private static final byte CANONICAL = 'C';

	/** Parsed Content-Type values; clients send few, and the cache stops growing here. */
	private static final int MAX_CACHED_CONTENT_TYPES = 256;

	private final Map<String, Declared> contentTypes = new ConcurrentHashMap<>();

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
		// The header, not getCharacterEncoding(): Spring Boot's CharacterEncodingFilter
		// forces the request's encoding to UTF-8 whatever the client declared.
		Declared declared = declared(request.getHeader(HttpHeaders.CONTENT_TYPE));
		ByteBuffer canonical = canonicalBody(declared, body);
		if (canonical != null) {
			update(digest, declared.mediaType());
			digest.update(CANONICAL);
			digest.update(canonical);
		}
		else {
			update(digest, declared.asSent());
			digest.update(RAW);
			digest.update(body);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private @Nullable ByteBuffer canonicalBody(Declared declared, byte[] body) {
		if (!canonicalJson || body.length == 0 || declared.jsonCharset() == null) {
			return null;
		}
		CharBuffer json = decode(body, declared.jsonCharset());
		return (json != null) ? JsonCanonicalizer.canonicalize(json, normalizeNumbers) : null;
	}

	private Declared declared(@Nullable String contentType) {
		if (contentType == null) {
			return Declared.NONE;
		}
		Declared declared = contentTypes.get(contentType);
		if (declared == null) {
			declared = Declared.parse(contentType);
			if (contentTypes.size() < MAX_CACHED_CONTENT_TYPES) {
				contentTypes.put(contentType, declared);
			}
		}
		return declared;
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

	/**
	 * What a Content-Type header declares.
	 *
	 * @param mediaType type and subtype, lower case
	 * @param asSent the media type with its charset, or the header itself when it does
	 * not parse: what a body hashed as sent is hashed with
	 * @param jsonCharset the charset of a JSON body (the one declared, else UTF-8 as RFC
	 * 8259 says); {@code null} when the body is not JSON or the charset is unknown
	 */
	private record Declared(String mediaType, String asSent, @Nullable Charset jsonCharset) {

		static final Declared NONE = new Declared("", "", null);

		static Declared parse(String contentType) {
			try {
				MediaType type = MediaType.parseMediaType(contentType);
				String mediaType = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
				String charsetName = type.getParameter("charset");
				String asSent = (charsetName != null) ? mediaType + ";charset=" + charsetName.toLowerCase(Locale.ROOT)
						: mediaType;
				boolean json = type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
				return new Declared(mediaType, asSent, json ? jsonCharset(type) : null);
			}
			catch (RuntimeException ex) {
				return new Declared(contentType, contentType, null);
			}
		}

		private static @Nullable Charset jsonCharset(MediaType type) {
			try {
				Charset charset = type.getCharset();
				return (charset != null) ? charset : StandardCharsets.UTF_8;
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

	}

	private static void update(MessageDigest digest, String part) {
		byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
		digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		digest.update((byte) ':');
		digest.update(bytes);
	}

}
