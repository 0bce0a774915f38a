package dev.idempotency;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whose key a request carries: the tenant or principal that
 * {@link IdempotencyKey#scope()} holds. Keys of different scopes never meet.
 *
 * <p>
 * Declare a bean of this type to replace the default, which uses a digest of the
 * authenticated principal (Spring Security's, or the container's). The scope is stored in
 * clear and may be logged: never return a credential, such as an API key, as it is.
 */
@FunctionalInterface
public interface IdempotencyScopeResolver {

	/**
	 * Resolves the scope of a request.
	 * @param request the request
	 * @return a non-empty scope of at most {@value IdempotencyKey#MAX_SCOPE_LENGTH}
	 * characters
	 */
	String resolveScope(HttpServletRequest request);

}
