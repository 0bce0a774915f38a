package dev.idempotency.client;

import java.net.URI;
import java.util.List;

import dev.idempotency.engine.IdempotencyContext;
import dev.idempotency.engine.RunningOperation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@code WebClient} counterpart of {@link IdempotencyKeyPropagation}: the same hosts,
 * methods and derived keys.
 * <p>
 * The running operation is bound to a thread ({@link IdempotencyContext}) while a
 * {@code WebClient} may send its request from any thread, so the operation is taken from
 * the thread that assembles the request ({@link #capture}, the builder's default request
 * consumer: {@code retrieve()}, or the subscription of {@code exchangeToMono()}), else
 * from the thread that subscribes, where this filter runs. A call made and blocked on
 * ({@code .block()}) inside the operation, the usual case in an MVC handler or listener,
 * is covered either way. A request assembled and subscribed on other threads (a reactive
 * pipeline started elsewhere, {@code subscribeOn}) gets no key. The key is derived once
 * per assembled request, so a {@code retry()} of it sends the same key again.
 */
public final class IdempotencyKeyExchangeFilter implements ExchangeFilterFunction {

	private static final String CALL_ATTRIBUTE = IdempotencyKeyExchangeFilter.class.getName() + ".call";

	private final DerivedKeys keys;

	/**
	 * Creates the filter.
	 * @param headerName the header to set, such as {@code Idempotency-Key}
	 * @param hostPatterns hosts that get keys, such as {@code api.stripe.com} or
	 * {@code *.payments.internal}
	 */
	public IdempotencyKeyExchangeFilter(String headerName, List<String> hostPatterns) {
		this.keys = new DerivedKeys(headerName, hostPatterns);
	}

	/**
	 * Remembers, in a request being assembled, the operation running on this thread; for
	 * {@code WebClient.Builder.defaultRequest}.
	 * @param request the request
	 */
	public void capture(WebClient.RequestHeadersSpec<?> request) {
		IdempotencyContext.current().ifPresent((operation) -> request.attribute(CALL_ATTRIBUTE, new Call(operation)));
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		Call call = (Call) request.attribute(CALL_ATTRIBUTE)
			.orElseGet(() -> IdempotencyContext.current().map(Call::new).orElse(null));
		if (call == null || !keys.applies(request.method(), request.url(), request.headers())) {
			return next.exchange(request);
		}
		String key = call.key(request.method(), request.url());
		return next
			.exchange(ClientRequest.from(request).headers((headers) -> headers.set(keys.headerName(), key)).build());
	}

	/**
	 * One outbound call of an operation; holds its key once derived, since each
	 * subscription of the request (a retry) passes through the filter again.
	 */
	private static final class Call {

		private final RunningOperation operation;

		private @Nullable String key;

		Call(RunningOperation operation) {
			this.operation = operation;
		}

		synchronized String key(HttpMethod method, URI uri) {
			if (key == null) {
				key = DerivedKeys.next(operation, method, uri);
			}
			return key;
		}

	}

}
