package dev.idempotency.web;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyScopeResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Scopes keys by the authenticated principal: Spring Security's (its servlet integration
 * exposes it as {@link HttpServletRequest#getUserPrincipal()}) or the container's.
 * Unauthenticated requests share the {@value #ANONYMOUS} scope; give them a scope of
 * their own (a tenant header set by your gateway, say) with a resolver bean of your own.
 */
public class PrincipalScopeResolver implements IdempotencyScopeResolver {

	/** The scope of requests without a principal. */
	public static final String ANONYMOUS = "anonymous";

	private static final Log logger = LogFactory.getLog(PrincipalScopeResolver.class);

	private final AtomicBoolean warned = new AtomicBoolean();

	@Override
	public String resolveScope(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal == null || principal.getName() == null || principal.getName().isEmpty()) {
			if (warned.compareAndSet(false, true)) {
				logger.warn("An idempotent request to " + request.getRequestURI() + " has no authenticated principal: "
						+ "unauthenticated clients share one key scope and can replay each other's responses. "
						+ "Authenticate these endpoints or declare an IdempotencyScopeResolver bean.");
			}
			return ANONYMOUS;
		}
		String scope = "principal:" + principal.getName();
		return (scope.length() <= IdempotencyKey.MAX_SCOPE_LENGTH) ? scope : "principal-sha256:" + Sha256.hex(scope);
	}

}
