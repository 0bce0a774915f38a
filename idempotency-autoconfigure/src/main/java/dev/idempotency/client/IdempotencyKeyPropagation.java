package dev.idempotency.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import dev.idempotency.engine.IdempotencyContext;
import dev.idempotency.engine.RunningOperation;
import dev.idempotency.engine.Sha256;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.PatternMatchUtils;

/**
 * Adds an {@code Idempotency-Key} to outbound requests made while an idempotent operation
 * runs on the calling thread, to hosts that match one of the configured patterns. The key
 * is derived, never the client's own: a digest of the operation's key, the call's method
 * and URL, and its number within the operation. So a retry of the operation, making the
 * same calls in the same order, sends the same keys (the provider replays instead of
 * charging twice), while two distinct calls within one operation get different keys. A
 * request that already has the header, a safe method, or a call outside an operation is
 * left alone.
 */
public final class IdempotencyKeyPropagation implements ClientHttpRequestInterceptor {

	/**
	 * The web adapter's own list; not shared, so that nothing here depends on the servlet
	 * side.
	 */
	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private final String headerName;

	private final String[] hostPatterns;

	/**
	 * Creates the interceptor.
	 * @param headerName the header to set, such as {@code Idempotency-Key}
	 * @param hostPatterns hosts that get keys, such as {@code api.stripe.com} or
	 * {@code *.payments.internal}
	 */
	public IdempotencyKeyPropagation(String headerName, List<String> hostPatterns) {
		this.headerName = headerName;
		this.hostPatterns = hostPatterns.toArray(String[]::new);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		RunningOperation operation = IdempotencyContext.current().orElse(null);
		if (operation != null && !SAFE_METHODS.contains(request.getMethod().name())
				&& !request.getHeaders().containsHeader(headerName) && matches(request.getURI().getHost())) {
			request.getHeaders()
				.set(headerName, derivedKey(operation.key().digest(), request, operation.nextOutboundCall()));
		}
		return execution.execute(request, body);
	}

	private boolean matches(@Nullable String host) {
		return host != null && PatternMatchUtils.simpleMatch(hostPatterns, host);
	}

	static String derivedKey(String operationDigest, HttpRequest request, int call) {
		String material = operationDigest + "\n" + request.getMethod().name() + "\n" + request.getURI() + "\n" + call;
		byte[] digest = Sha256.newDigest().digest(material.getBytes(StandardCharsets.UTF_8));
		return "idem_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

}
