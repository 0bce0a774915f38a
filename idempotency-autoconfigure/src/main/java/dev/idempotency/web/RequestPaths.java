package dev.idempotency.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UrlPathHelper;

/**
 * The path a request is routed by: decoded, without {@code ;} parameters and without the
 * context path. Spellings that reach the same handler ({@code /pay%6Dents},
 * {@code /payments;v=1}) must be one key and one fingerprint, or a retry would run again.
 */
final class RequestPaths {

	private static final UrlPathHelper paths = new UrlPathHelper();

	static {
		paths.setUrlDecode(true);
		paths.setRemoveSemicolonContent(true);
	}

	private RequestPaths() {
	}

	static String of(HttpServletRequest request) {
		return paths.getPathWithinApplication(request);
	}

}
