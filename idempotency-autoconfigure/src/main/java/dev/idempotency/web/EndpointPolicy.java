package dev.idempotency.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.idempotency.Atomicity;
import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.web.method.HandlerMethod;

/**
 * How one idempotent endpoint behaves: {@code @Idempotent}'s attributes over the
 * defaults.
 *
 * @param retention how long its completed responses are kept
 * @param lockTimeout how long a running request holds its key
 * @param keyRequired whether a request without a key is rejected
 * @param onInFlight {@code REJECT} or {@code WAIT}
 * @param methods the HTTP methods it applies to, or {@code null} for every unsafe one
 * @param key where the key is read from the request, or {@code null} for the header
 * @param scope what narrows the principal's scope, or {@code null}
 * @param storedStatuses which final statuses are stored
 * @param inTransaction whether the key, the handler's writes and the response commit as
 * one
 */
record EndpointPolicy(Duration retention, Duration lockTimeout, boolean keyRequired, OnInFlight onInFlight,
		@Nullable Set<String> methods, @Nullable Expression key, @Nullable Expression scope,
		StatusPolicy storedStatuses, boolean inTransaction) {

	private static final SpelExpressionParser parser = new SpelExpressionParser();

	/**
	 * Whether the key or the scope is read from the request rather than the header alone.
	 */
	boolean readsRequest() {
		return key != null || scope != null;
	}

	/**
	 * Whether requests with this HTTP method are idempotent requests. Never a safe
	 * method: a class-level annotation must not turn a controller's GETs into key-checked
	 * calls.
	 * @param method the request's method
	 * @return whether the protocol applies
	 */
	boolean appliesTo(String method) {
		return (methods != null) ? methods.contains(method) : !IdempotencySettings.SAFE_METHODS.contains(method);
	}

	/**
	 * Finds and caches the policy of each handler method; the annotation lookup is paid
	 * once per method, and a method without {@code @Idempotent} costs one map read. Keyed
	 * by the bean type and method, never the {@link HandlerMethod}, which holds a bean
	 * instance (a new one per request for prototype-scoped controllers).
	 */
	static final class Resolver {

		private final Map<Handler, Optional<EndpointPolicy>> cache = new ConcurrentHashMap<>();

		private final IdempotencySettings settings;

		Resolver(IdempotencySettings settings) {
			this.settings = settings;
		}

		Optional<EndpointPolicy> forHandler(HandlerMethod handler) {
			return cache.computeIfAbsent(new Handler(handler.getBeanType(), handler.getMethod()),
					(key) -> resolve(handler));
		}

		private Optional<EndpointPolicy> resolve(HandlerMethod handler) {
			Set<String> methods = null;
			Idempotent annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Idempotent.class);
			if (annotation == null) {
				annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), Idempotent.class);
				methods = settings.classLevelMethods();
			}
			if (annotation == null) {
				return Optional.empty();
			}
			return Optional
				.of(new EndpointPolicy(duration(annotation.retention(), settings.retention(), "retention", handler),
						duration(annotation.lockTimeout(), settings.lockTimeout(), "lockTimeout", handler),
						annotation.keyRequired(),
						(annotation.onInFlight() != OnInFlight.DEFAULT) ? annotation.onInFlight()
								: settings.onInFlight(),
						methods, expression(annotation.key(), "key", handler),
						expression(annotation.scope(), "scope", handler),
						statuses(annotation.storedStatuses(), handler), ((annotation.atomicity() != Atomicity.DEFAULT)
								? annotation.atomicity() : settings.atomicity()) == Atomicity.TRANSACTION));
		}

		private StatusPolicy statuses(String[] entries, HandlerMethod handler) {
			if (entries.length == 0) {
				return settings.storedStatuses();
			}
			try {
				return StatusPolicy.parse(List.of(entries));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"@Idempotent(storedStatuses) on " + handler.getShortLogMessage() + ": " + ex.getMessage(), ex);
			}
		}

		private static @Nullable Expression expression(String text, String attribute, HandlerMethod handler) {
			if (text.isBlank()) {
				return null;
			}
			try {
				return parser.parseExpression(text);
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException("@Idempotent(" + attribute + " = \"" + text + "\") on "
						+ handler.getShortLogMessage() + " is not a SpEL expression", ex);
			}
		}

		private static Duration duration(String value, Duration fallback, String attribute, HandlerMethod handler) {
			if (value.isBlank()) {
				return fallback;
			}
			try {
				Duration duration = DurationStyle.detectAndParse(value);
				if (duration.isNegative() || duration.isZero()) {
					throw new IllegalArgumentException("must be positive");
				}
				return duration;
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("@Idempotent(" + attribute + " = \"" + value + "\") on "
						+ handler.getShortLogMessage() + " is not a positive duration such as \"24h\"", ex);
			}
		}

		private record Handler(Class<?> beanType, Method method) {
		}

	}

}
