package dev.idempotency.web;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The issuer ({@code iss}) of a Spring Security resource-server authentication, read by
 * reflection so that Spring Security stays an optional dependency.
 */
final class TokenIssuer {

	/**
	 * Superclass of {@code JwtAuthenticationToken} and {@code BearerTokenAuthentication}.
	 */
	static final String TOKEN_AUTHENTICATION = "org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken";

	private static final ClassValue<Optional<Method>> TOKEN_ATTRIBUTES = new ClassValue<>() {

		@Override
		protected Optional<Method> computeValue(Class<?> type) {
			for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
				if (candidate.getName().equals(TOKEN_AUTHENTICATION)) {
					try {
						return Optional.of(candidate.getMethod("getTokenAttributes"));
					}
					catch (NoSuchMethodException ex) {
						return Optional.empty();
					}
				}
			}
			return Optional.empty();
		}

	};

	private TokenIssuer() {
	}

	/**
	 * The issuer of a bearer-token authentication.
	 * @param principal any principal
	 * @return the {@code iss} claim (empty if the token has none), or {@code null} if the
	 * principal is not a bearer-token authentication
	 */
	static @Nullable String of(Object principal) {
		Optional<Method> tokenAttributes = TOKEN_ATTRIBUTES.get(principal.getClass());
		if (tokenAttributes.isEmpty()) {
			return null;
		}
		try {
			Object attributes = tokenAttributes.get().invoke(principal);
			Object issuer = (attributes instanceof Map<?, ?> claims) ? claims.get("iss") : null;
			return (issuer != null) ? issuer.toString() : "";
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not read the token attributes of " + principal.getClass(), ex);
		}
	}

}
