package dev.idempotency.sample.security;

import java.io.IOException;
import java.util.List;

import dev.idempotency.sample.webhook.GatewaySignature;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a webhook delivery as the payment gateway when its
 * {@code Gateway-Signature} is the HMAC of its raw body. It reads the body (at most
 * {@value #MAX_BODY_BYTES} bytes) and hands it on, so the rest of the chain reads the
 * same bytes that were verified. A delivery without a valid signature stays anonymous and
 * the security rules answer {@code 401} before the idempotency layer (which runs after
 * Spring Security) claims a key: a forged event stores nothing.
 */
class GatewaySignatureFilter extends OncePerRequestFilter {

	/** The principal of verified deliveries, and so their idempotency scope. */
	static final String GATEWAY = "payment-gateway";

	static final String ROLE = "PAYMENT_GATEWAY";

	/** Larger bodies are not read, and so never verified. */
	static final int MAX_BODY_BYTES = 256 * 1024;

	private final GatewaySignature signature;

	GatewaySignatureFilter(GatewaySignature signature) {
		this.signature = signature;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
		if (body.length <= MAX_BODY_BYTES && signature.matches(request.getHeader(GatewaySignature.HEADER), body)) {
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(GATEWAY, null,
					List.of(new SimpleGrantedAuthority("ROLE_" + ROLE))));
			SecurityContextHolder.setContext(context);
		}
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

}
