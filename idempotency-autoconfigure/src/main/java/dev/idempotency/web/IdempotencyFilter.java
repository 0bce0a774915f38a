package dev.idempotency.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Wraps requests that carry the key header so that {@link IdempotencyInterceptor} can
 * read their body twice and capture their response. The wrappers do nothing until the
 * interceptor asks, so a request to an endpoint that is not idempotent only pays for two
 * small objects; a request without the header is not wrapped at all.
 *
 * <p>
 * An async handler's result is written in a second (async) dispatch; the same wrappers
 * must see it, so they are kept as a request attribute and reused when the container
 * hands that dispatch the unwrapped request.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

	private static final String WRAPPERS = IdempotencyFilter.class.getName() + ".wrappers";

	private final String headerName;

	public IdempotencyFilter(String headerName) {
		this.headerName = headerName;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getHeader(headerName) == null || isWrapped(request, response)) {
			chain.doFilter(request, response);
			return;
		}
		Wrappers wrappers = (Wrappers) request.getAttribute(WRAPPERS);
		if (wrappers == null) {
			wrappers = new Wrappers(new BufferedBodyRequest(request), new CapturingResponse(response));
			request.setAttribute(WRAPPERS, wrappers);
		}
		chain.doFilter(wrappers.request(), wrappers.response());
	}

	private static boolean isWrapped(HttpServletRequest request, HttpServletResponse response) {
		return WebUtils.getNativeRequest(request, BufferedBodyRequest.class) != null
				&& WebUtils.getNativeResponse(response, CapturingResponse.class) != null;
	}

	private record Wrappers(BufferedBodyRequest request, CapturingResponse response) {
	}

}
