package dev.idempotency.sample.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <api key>} as the merchant owning the key. A
 * request without a known key stays anonymous, and the security rules answer 401 where
 * authentication is required. Keys are compared by their SHA-256 digests, so a lookup
 * does not leak how much of a key was right.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final Map<String, Merchant> merchantsByKeyDigest;

	ApiKeyAuthenticationFilter(List<Merchant> merchants) {
		this.merchantsByKeyDigest = merchants.stream()
			.collect(Collectors.toUnmodifiableMap((merchant) -> digest(merchant.apiKey()), Function.identity()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			Merchant merchant = merchantsByKeyDigest.get(digest(header.substring(BEARER.length()).trim()));
			if (merchant != null) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(new MerchantAuthentication(merchant));
				SecurityContextHolder.setContext(context);
			}
		}
		chain.doFilter(request, response);
	}

	private static String digest(String apiKey) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha256.digest(apiKey.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
