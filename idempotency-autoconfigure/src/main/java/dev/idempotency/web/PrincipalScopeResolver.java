package dev.idempotency.web;

import java.security.Principal;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyScopeResolver;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Scopes keys by the authenticated principal: Spring Security's (its servlet integration
 * exposes it as {@link HttpServletRequest#getUserPrincipal()}) or the container's.
 * Unauthenticated requests share the {@value #ANONYMOUS} scope; give them a scope of
 * their own (a tenant header set by your gateway, say) with a resolver bean of your own.
 */
public class PrincipalScopeResolver implements IdempotencyScopeResolver {

	/** The scope of requests without a principal. */
	public static final String ANONYMOUS = "anonymous";

	@Override
	public String resolveScope(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal == null || principal.getName() == null || principal.getName().isEmpty()) {
			return ANONYMOUS;
		}
		String scope = "principal:" + principal.getName();
		return (scope.length() <= IdempotencyKey.MAX_SCOPE_LENGTH) ? scope : "principal-sha256:" + Sha256.hex(scope);
	}

}
