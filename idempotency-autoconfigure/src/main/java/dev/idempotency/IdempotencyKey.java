package dev.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * The identity of one idempotent operation: who asks ({@code scope}, a tenant or
 * principal), where ({@code endpoint}, HTTP method and path) and the client's key. Two
 * requests share an operation only when all three are equal, so one client's key can
 * never reach another client's response.
 * <p>
 * A value with a record's accessors, equality and string form; a class rather than a
 * record so that its {@link #digest()}, asked for by every store call, is computed once.
 */
public final class IdempotencyKey {

	/** Longest accepted client key, as Stripe and the IETF draft's examples use. */
	public static final int MAX_CLIENT_KEY_LENGTH = 255;

	/** Longest scope the stores accept. */
	public static final int MAX_SCOPE_LENGTH = 255;

	/** Longest endpoint the stores accept; longer paths are shortened by a digest. */
	public static final int MAX_ENDPOINT_LENGTH = 512;

	private static final MessageDigest SHA_256 = lookUpSha256();

	private final String scope;

	private final String endpoint;

	private final String clientKey;

	private final String digest;

	/**
	 * Creates a key.
	 * @param scope the tenant or principal the key belongs to
	 * @param endpoint the HTTP method and path, such as {@code POST /payments}
	 * @param clientKey the value of the {@code Idempotency-Key} header
	 * @throws IllegalArgumentException if a part is empty or too long
	 */
	public IdempotencyKey(String scope, String endpoint, String clientKey) {
		requireLength("scope", scope, MAX_SCOPE_LENGTH);
		requireLength("endpoint", endpoint, MAX_ENDPOINT_LENGTH);
		requireLength("clientKey", clientKey, MAX_CLIENT_KEY_LENGTH);
		this.scope = scope;
		this.endpoint = endpoint;
		this.clientKey = clientKey;
		this.digest = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(encoded()));
	}

	public String scope() {
		return scope;
	}

	public String endpoint() {
		return endpoint;
	}

	public String clientKey() {
		return clientKey;
	}

	/**
	 * An unambiguous encoding of the three parts: each is prefixed by its length, so no
	 * part can contain a delimiter that makes it look like another.
	 * @return the encoded key
	 */
	public String encoded() {
		return scope.length() + ":" + scope + endpoint.length() + ":" + endpoint + clientKey.length() + ":" + clientKey;
	}

	/**
	 * A fixed-length digest of {@link #encoded()} (URL-safe Base64 of SHA-256), for
	 * stores that want a short, opaque identifier.
	 * @return the digest
	 */
	public String digest() {
		return digest;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof IdempotencyKey that && scope.equals(that.scope) && endpoint.equals(that.endpoint)
				&& clientKey.equals(that.clientKey);
	}

	@Override
	public int hashCode() {
		return Objects.hash(scope, endpoint, clientKey);
	}

	@Override
	/**
	 * The key as logs show it: the client's key masked (its first four characters and its
	 * length), since whoever holds it can replay the response; the digest locates the
	 * record.
	 */
	public String toString() {
		return "IdempotencyKey[scope=" + scope + ", endpoint=" + endpoint + ", clientKey=" + masked(clientKey)
				+ ", digest=" + digest.substring(0, 12) + "]";
	}

	/**
	 * Masks a client key for logs.
	 * @param clientKey the key
	 * @return its first four characters (none when it is eight or shorter) and its length
	 */
	public static String masked(String clientKey) {
		String shown = (clientKey.length() > 8) ? clientKey.substring(0, 4) : "";
		return shown + "***(" + clientKey.length() + ")";
	}

	private static byte[] sha256(String value) {
		return newDigest().digest(value.getBytes(StandardCharsets.UTF_8));
	}

	/** Cloned per key: a provider lookup per request showed in profiles. */
	private static MessageDigest newDigest() {
		try {
			return (MessageDigest) SHA_256.clone();
		}
		catch (CloneNotSupportedException ex) {
			return lookUpSha256();
		}
	}

	private static MessageDigest lookUpSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

	private static void requireLength(String name, String value, int max) {
		if (value == null || value.isEmpty() || value.length() > max) {
			throw new IllegalArgumentException(name + " must have 1 to " + max + " characters");
		}
	}

}
