package dev.idempotency.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Computes what identifies a request, so that a key reused with a different request is
 * caught ({@code 422}). Declare a bean of this type to replace the default
 * {@link Sha256RequestFingerprinter}, for instance to ignore a field that changes on
 * every retry.
 */
@FunctionalInterface
public interface RequestFingerprinter {

	/**
	 * Fingerprints a request.
	 * @param request the request (its body may already have been read)
	 * @param body the body bytes (for form posts, the encoded parameters)
	 * @return the fingerprint; at most 128 characters
	 */
	String fingerprint(HttpServletRequest request, byte[] body);

}
