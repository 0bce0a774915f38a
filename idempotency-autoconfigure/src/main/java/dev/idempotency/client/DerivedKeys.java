package dev.idempotency.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import dev.idempotency.engine.RunningOperation;
import dev.idempotency.engine.Sha256;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.PatternMatchUtils;

/**
 * Which outbound requests get a derived key, and the key: written once for every HTTP
 * client we equip ({@link IdempotencyKeyPropagation},
 * {@link IdempotencyKeyExchangeFilter}), so that a RestClient call and a WebClient call
 * to the same URL are keyed alike.
 */
final class DerivedKeys {

	/**
	 * The web adapter's own list; not shared, so that nothing here depends on the servlet
	 * side.
	 */
	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private final String headerName;

	private final String[] hostPatterns;

	DerivedKeys(String headerName, List<String> hostPatterns) {
		this.headerName = headerName;
		this.hostPatterns = hostPatterns.toArray(String[]::new);
	}

	String headerName() {
		return headerName;
	}

	/**
	 * Whether a request gets a key: an unsafe method, to a listed host, without the
	 * header already.
	 */
	boolean applies(HttpMethod method, URI uri, HttpHeaders headers) {
		return !SAFE_METHODS.contains(method.name()) && !headers.containsHeader(headerName) && matches(uri.getHost());
	}

	/**
	 * The key of the operation's next outbound call: numbering the call is what keeps two
	 * identical calls within one operation apart.
	 */
	static String next(RunningOperation operation, HttpMethod method, URI uri) {
		return derive(operation.key().digest(), method, uri, operation.nextOutboundCall());
	}

	static String derive(String operationDigest, HttpMethod method, URI uri, int call) {
		String material = operationDigest + "\n" + method.name() + "\n" + uri + "\n" + call;
		byte[] digest = Sha256.newDigest().digest(material.getBytes(StandardCharsets.UTF_8));
		return "idem_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private boolean matches(@Nullable String host) {
		return host != null && PatternMatchUtils.simpleMatch(hostPatterns, host);
	}

}
