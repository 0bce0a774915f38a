package dev.idempotency.web;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Wraps requests that carry the key header so that {@link IdempotencyInterceptor} can
 * read their body twice and capture their response, and records the outcome once the rest
 * of the chain has returned. Recording here rather than in the interceptor is what makes
 * the stored response the one the client gets: filters inside this one (an ETag filter, a
 * body-logging filter) have copied their bodies into the capture by then, and
 * open-in-view has given the request's connection back, so the store never waits for a
 * second one. The wrappers do nothing until the interceptor asks; a request without the
 * header is not wrapped at all.
 *
 * <p>
 * An async handler's result is written in a second (async) dispatch; the same wrappers
 * must see it, so they are kept as a request attribute, and the outcome is recorded when
 * the dispatch that ends the request returns.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

	private static final String WRAPPERS = IdempotencyFilter.class.getName() + ".wrappers";

	private final String headerName;

	private final OutcomeRecorder outcomes;

	private final BooleanSupplier someEndpointReadsKeysFromRequests;

	/**
	 * Creates a filter for endpoints that take their keys from the key header.
	 * @param settings the web layer's settings
	 */
	public IdempotencyFilter(IdempotencySettings settings) {
		this(settings, () -> false);
	}

	/**
	 * Creates a filter.
	 * @param settings the web layer's settings
	 * @param someEndpointReadsKeysFromRequests whether an endpoint reads its key from the
	 * request (a webhook's body): then requests with unsafe methods are wrapped without
	 * the header too; asked on each such request, so it should be cheap
	 */
	public IdempotencyFilter(IdempotencySettings settings, BooleanSupplier someEndpointReadsKeysFromRequests) {
		this.headerName = settings.headerName();
		this.outcomes = new OutcomeRecorder(settings);
		this.someEndpointReadsKeysFromRequests = someEndpointReadsKeysFromRequests;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Wrappers wrappers = (Wrappers) request.getAttribute(WRAPPERS);
		if (wrappers == null) {
			if (request.getHeader(headerName) == null && !mayReadKeyFromRequest(request)) {
				chain.doFilter(request, response);
				return;
			}
			wrappers = new Wrappers(new BufferedBodyRequest(request), new CapturingResponse(response));
			request.setAttribute(WRAPPERS, wrappers);
		}
		boolean wrapped = isWrapped(request, response);
		try {
			chain.doFilter(wrapped ? request : wrappers.request(), wrapped ? response : wrappers.response());
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			outcomes.record(request, wrappers.response(), ex);
			throw ex;
		}
		if (request.isAsyncStarted()) {
			whenAbandoned(request, wrappers.response());
			return;
		}
		outcomes.record(request, wrappers.response(), null);
		wrappers.response().release();
	}

	/**
	 * An async request that ends without a dispatch (the client went away, the container
	 * gave up) would keep its key locked until the lock timeout: release it instead.
	 */
	private void whenAbandoned(HttpServletRequest request, CapturingResponse response) {
		request.getAsyncContext().addListener(new AsyncListener() {

			@Override
			public void onComplete(AsyncEvent event) throws IOException {
				outcomes.record(request, response, new IllegalStateException("Async request ended undispatched"));
			}

			@Override
			public void onError(AsyncEvent event) {
			}

			@Override
			public void onTimeout(AsyncEvent event) {
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
			}

		});
	}

	private boolean mayReadKeyFromRequest(HttpServletRequest request) {
		return !IdempotencySettings.SAFE_METHODS.contains(request.getMethod())
				&& someEndpointReadsKeysFromRequests.getAsBoolean();
	}

	private static boolean isWrapped(HttpServletRequest request, HttpServletResponse response) {
		return WebUtils.getNativeRequest(request, BufferedBodyRequest.class) != null
				&& WebUtils.getNativeResponse(response, CapturingResponse.class) != null;
	}

	private record Wrappers(BufferedBodyRequest request, CapturingResponse response) {
	}

}
