package dev.idempotency.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, which every JVM has, for the adapters' digests (keys, fingerprints, derived
 * keys): one prototype cloned per use, cheaper than a provider lookup per request.
 */
public final class Sha256 {

	/** Cloned per use: cheaper than a provider lookup on every request. */
	private static final MessageDigest PROTOTYPE = lookUp();

	private Sha256() {
	}

	/**
	 * A fresh digest.
	 * @return the digest
	 */
	public static MessageDigest newDigest() {
		try {
			return (MessageDigest) PROTOTYPE.clone();
		}
		catch (CloneNotSupportedException ex) {
			return lookUp();
		}
	}

	private static MessageDigest lookUp() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

	/**
	 * The digest of a string's UTF-8 bytes.
	 * @param value the string
	 * @return the digest, in lower-case hex
	 */
	public static String hex(String value) {
		return hex(value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The digest of bytes.
	 * @param value the bytes
	 * @return the digest, in lower-case hex
	 */
	public static String hex(byte[] value) {
		return HexFormat.of().formatHex(newDigest().digest(value));
	}

}
