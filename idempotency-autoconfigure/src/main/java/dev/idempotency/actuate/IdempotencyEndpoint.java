package dev.idempotency.actuate;

import java.security.Principal;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.web.PrincipalScopeResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code idempotency} actuator endpoint, for on-call engineers: reads what the store
 * holds for one key, and evicts it so that the client's next retry runs the operation
 * again. Like every actuator endpoint but health it is not exposed unless
 * {@code management.endpoints.web.exposure.include} names it, and it is secured by the
 * application's own security configuration, never opened by this starter.
 * <p>
 * A key is selected by {@code endpoint} (such as {@code POST /payments}, or a
 * method-level operation's name), {@code key} (the client's key), and either
 * {@code scope} as stored or {@code principal}, the name of an authenticated user, turned
 * into the scope {@link PrincipalScopeResolver} gives that user's HTTP requests (the rule
 * for plain names; an OAuth2 token's scope also hashes its issuer, so give its
 * {@code scope}).
 */
@Endpoint(id = "idempotency")
public class IdempotencyEndpoint {

	private final IdempotencyStore store;

	public IdempotencyEndpoint(IdempotencyStore store) {
		this.store = store;
	}

	/**
	 * Reads the key's record.
	 * @param scope the scope as stored, unless {@code principal} is given
	 * @param principal the name of the principal whose HTTP scope to use
	 * @param endpoint the key's endpoint
	 * @param key the client's key
	 * @param body whether to show the stored body
	 * @return the record, or {@code null} (404 over HTTP) when the key has none
	 */
	@ReadOperation
	public @Nullable IdempotencyRecordView record(@Nullable String scope, @Nullable String principal, String endpoint,
			String key, @Nullable Boolean body) {
		IdempotencyKey selected = select(scope, principal, endpoint, key);
		return store.find(selected)
			.map((record) -> IdempotencyRecordView.of(selected, record, Boolean.TRUE.equals(body)))
			.orElse(null);
	}

	/**
	 * Evicts the key's record, in flight or completed: the next claim runs the operation
	 * again, and a request still running can no longer store its response.
	 * @param scope the scope as stored, unless {@code principal} is given
	 * @param principal the name of the principal whose HTTP scope to use
	 * @param endpoint the key's endpoint
	 * @param key the client's key
	 * @return whether a record was evicted
	 */
	@DeleteOperation
	public Eviction evict(@Nullable String scope, @Nullable String principal, String endpoint, String key) {
		return new Eviction(store.evict(select(scope, principal, endpoint, key)));
	}

	private static IdempotencyKey select(@Nullable String scope, @Nullable String principal, String endpoint,
			String key) {
		if ((scope == null) == (principal == null)) {
			throw new InvalidEndpointRequestException("Give either scope or principal",
					"Give either scope or principal, not both or neither");
		}
		String resolved = (scope != null) ? scope : PrincipalScopeResolver.scope(named(principal));
		try {
			return new IdempotencyKey(resolved, endpoint, key);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private static Principal named(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			throw new InvalidEndpointRequestException("principal must not be empty", "principal must not be empty");
		}
		return () -> name;
	}

	/**
	 * What an eviction did.
	 *
	 * @param evicted whether the key had a record, now removed
	 */
	public record Eviction(boolean evicted) {

	}

}
