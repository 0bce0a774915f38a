package dev.idempotency.store;

import org.jspecify.annotations.Nullable;

/**
 * The lock token of a {@link TwoLayerIdempotencyStore}: the authority's token, the
 * request's fingerprint (the cache's unfenced completion needs it) and the cache's token,
 * in one string, length-prefixed so that no part can leak into another. It never reaches
 * clients.
 */
record LayerTokens(String authority, @Nullable String fingerprint, @Nullable String cache) {

	static String join(String authority, String fingerprint, @Nullable String cache) {
		return authority.length() + ":" + authority + fingerprint.length() + ":" + fingerprint
				+ ((cache != null) ? cache : "");
	}

	/**
	 * Splits a joined token; a token we never issued owns nothing in the cache.
	 */
	static LayerTokens split(String token) {
		try {
			int colon = token.indexOf(':');
			int authorityEnd = colon + 1 + Integer.parseInt(token.substring(0, colon));
			String authority = token.substring(colon + 1, authorityEnd);
			int fingerprintColon = token.indexOf(':', authorityEnd);
			int fingerprintEnd = fingerprintColon + 1
					+ Integer.parseInt(token.substring(authorityEnd, fingerprintColon));
			String cache = token.substring(fingerprintEnd);
			return new LayerTokens(authority, token.substring(fingerprintColon + 1, fingerprintEnd),
					cache.isEmpty() ? null : cache);
		}
		catch (IndexOutOfBoundsException | NumberFormatException ex) {
			return new LayerTokens(token, null, null);
		}
	}

}
