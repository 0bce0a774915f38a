package dev.idempotency.web;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.idempotency.IdempotencyScopeResolver;
import dev.idempotency.engine.Sha256;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Scopes keys by the authenticated principal: Spring Security's (its servlet integration
 * exposes it as {@link HttpServletRequest#getUserPrincipal()}) or the container's.
 * Unauthenticated requests share the {@value #ANONYMOUS} scope; give them a scope of
 * their own (a tenant header set by your gateway, say) with a resolver bean of your own.
 *
 * <p>
 * The scope is a digest, {@code principal:<SHA-256 hex>}, never the name itself: a
 * principal's name may be a credential (an API key), and the scope is stored in clear (a
 * database column) and appears in logs. For an OAuth2 bearer token (Spring Security's
 * {@code JwtAuthenticationToken} or {@code BearerTokenAuthentication}, whose name is the
 * {@code sub} claim) the token's issuer is hashed with the name, so equal subjects from
 * different issuers get different scopes. Every part hashed is prefixed by its length, so
 * no name or issuer can pass for another.
 */
public class PrincipalScopeResolver implements IdempotencyScopeResolver {

	/** The scope of requests without a principal. */
	public static final String ANONYMOUS = "anonymous";

	private static final String PREFIX = "principal:";

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
		return scope(principal);
	}

	/**
	 * The scope this resolver gives an authenticated principal, for tools that look up a
	 * principal's records.
	 * @param principal the principal, with a non-empty name
	 * @return {@code principal:} and the SHA-256 hex digest of its identity
	 */
	public static String scope(Principal principal) {
		String name = principal.getName();
		String issuer = TokenIssuer.of(principal);
		String identity = (issuer != null) ? parts("oauth2-token", issuer, name) : parts("name", name);
		return PREFIX + Sha256.hex(identity);
	}

	private static String parts(String... parts) {
		StringBuilder joined = new StringBuilder();
		for (String part : parts) {
			joined.append(part.length()).append(':').append(part);
		}
		return joined.toString();
	}

}
