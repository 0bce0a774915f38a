package dev.idempotency.autoconfigure;

import java.util.List;

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
 * resolver finds reflectively, the actuator view serialised by Jackson, and the classes
 * whose presence is checked by name (a native image answers such a check only for a
 * registered class). {@code @Idempotent} methods and message envelopes have hints of
 * their own ({@code IdempotentReflectiveProcessor}, {@code OperationRuntimeHints}).
 */
class IdempotencyRuntimeHints implements RuntimeHintsRegistrar {

	/** Superclass of JWT and opaque-token authentications, read without a dependency. */
	static final String TOKEN_AUTHENTICATION = "org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken";

	/**
	 * Checked by {@code RedisCommandRunner} (Lettuce's shared connection) and
	 * {@code OperationLog} (SLF4J 2's key-value pairs).
	 */
	static final List<String> CHECKED_BY_NAME = List.of("io.lettuce.core.RedisClient",
			"org.slf4j.spi.LoggingEventBuilder");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("dev/idempotency/redis/*.lua");
		hints.resources().registerPattern("dev/idempotency/jdbc/schema-*.sql");
		hints.reflection().registerType(TypeReference.of(TOKEN_AUTHENTICATION), MemberCategory.INVOKE_PUBLIC_METHODS);
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), IdempotencyRecordView.class);
		CHECKED_BY_NAME.forEach((name) -> hints.reflection().registerType(TypeReference.of(name)));
	}

}
