package dev.idempotency;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whose key a request carries: the tenant or principal that
 * {@link IdempotencyKey#scope()} holds. Keys of different scopes never meet.
 *
 * <p>
 * Declare a bean of this type to replace the default, which uses the authenticated
 * principal (Spring Security's, or the container's).
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
