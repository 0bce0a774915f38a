package dev.idempotency.client;

import java.io.IOException;
import java.util.List;

import dev.idempotency.engine.IdempotencyContext;
import dev.idempotency.engine.RunningOperation;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Adds an {@code Idempotency-Key} to outbound {@code RestClient} and {@code RestTemplate}
 * requests made while an idempotent operation runs on the calling thread, to hosts that
 * match one of the configured patterns. The key is derived, never the client's own: a
 * digest of the operation's key, the call's method and URL, and its number within the
 * operation. So a retry of the operation, making the same calls in the same order, sends
 * the same keys (the provider replays instead of charging twice), while two distinct
 * calls within one operation get different keys. A request that already has the header, a
 * safe method, or a call outside an operation is left alone.
 */
public final class IdempotencyKeyPropagation implements ClientHttpRequestInterceptor {

	private final DerivedKeys keys;

	/**
	 * Creates the interceptor.
	 * @param headerName the header to set, such as {@code Idempotency-Key}
	 * @param hostPatterns hosts that get keys, such as {@code api.stripe.com} or
	 * {@code *.payments.internal}
	 */
	public IdempotencyKeyPropagation(String headerName, List<String> hostPatterns) {
		this.keys = new DerivedKeys(headerName, hostPatterns);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		RunningOperation operation = IdempotencyContext.current().orElse(null);
		if (operation != null && keys.applies(request.getMethod(), request.getURI(), request.getHeaders())) {
			request.getHeaders()
				.set(keys.headerName(), DerivedKeys.next(operation, request.getMethod(), request.getURI()));
		}
		return execution.execute(request, body);
	}

}
