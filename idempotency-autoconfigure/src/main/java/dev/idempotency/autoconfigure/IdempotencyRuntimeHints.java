package dev.idempotency.autoconfigure;

import dev.idempotency.actuate.IdempotencyRecordView;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image must keep that no code path shows the AOT engine: the Lua scripts
 * and schema files read as class path resources, the OAuth2 token accessor the scope
 * resolver finds reflectively, and the actuator view serialised by Jackson.
 */
class IdempotencyRuntimeHints implements RuntimeHintsRegistrar {

	/** Superclass of JWT and opaque-token authentications, read without a dependency. */
	static final String TOKEN_AUTHENTICATION = "org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("dev/idempotency/redis/*.lua");
		hints.resources().registerPattern("dev/idempotency/jdbc/schema-*.sql");
		hints.reflection().registerType(TypeReference.of(TOKEN_AUTHENTICATION), MemberCategory.INVOKE_PUBLIC_METHODS);
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), IdempotencyRecordView.class);
	}

}
