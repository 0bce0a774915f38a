package dev.idempotency.sample.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The gateway's webhook signature: {@code Gateway-Signature: sha256=<hex>}, the
 * lower-case hex HMAC-SHA256 of the raw request body under the shared secret.
 * Thread-safe.
 */
public final class GatewaySignature {

	/** The header carrying the signature. */
	public static final String HEADER = "Gateway-Signature";

	private static final String ALGORITHM = "HmacSHA256";

	private static final String PREFIX = "sha256=";

	private final SecretKeySpec key;

	public GatewaySignature(String secret) {
		if (secret.isEmpty()) {
			throw new IllegalArgumentException("The webhook secret must not be empty");
		}
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	/**
	 * The header value the gateway sends with a body.
	 * @param body the raw body
	 * @return {@code sha256=} and the hex HMAC
	 */
	public String sign(byte[] body) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Whether a header value is the body's signature. The comparison takes the same time
	 * wherever the first wrong character is, so a forger learns nothing from timing.
	 * @param header the header value, or {@code null} when missing
	 * @param body the raw body
	 * @return whether the signature matches
	 */
	public boolean matches(@Nullable String header, byte[] body) {
		if (header == null) {
			return false;
		}
		byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
		byte[] given = header.trim().getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, given);
	}

}
