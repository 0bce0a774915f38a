package dev.idempotency.web;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * How one idempotent endpoint behaves: {@code @Idempotent}'s attributes over the
 * defaults.
 *
 * @param retention how long its completed responses are kept
 * @param lockTimeout how long a running request holds its key
 * @param keyRequired whether a request without a key is rejected
 * @param onInFlight {@code REJECT} or {@code WAIT}
 */
record EndpointPolicy(Duration retention, Duration lockTimeout, boolean keyRequired, OnInFlight onInFlight) {

	/**
	 * Finds and caches the policy of each handler method; the annotation lookup is paid
	 * once per method, and a method without {@code @Idempotent} costs one map read.
	 */
	static final class Resolver {

		private final Map<HandlerMethod, Optional<EndpointPolicy>> cache = new ConcurrentHashMap<>();

		private final IdempotencySettings settings;

		Resolver(IdempotencySettings settings) {
			this.settings = settings;
		}

		Optional<EndpointPolicy> forHandler(HandlerMethod handler) {
			return cache.computeIfAbsent(handler, this::resolve);
		}

		private Optional<EndpointPolicy> resolve(HandlerMethod handler) {
			Idempotent annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Idempotent.class);
			if (annotation == null) {
				annotation = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), Idempotent.class);
			}
			if (annotation == null) {
				return Optional.empty();
			}
			return Optional.of(new EndpointPolicy(
					duration(annotation.retention(), settings.retention(), "retention", handler),
					duration(annotation.lockTimeout(), settings.lockTimeout(), "lockTimeout", handler),
					annotation.keyRequired(),
					(annotation.onInFlight() != OnInFlight.DEFAULT) ? annotation.onInFlight() : settings.onInFlight()));
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

	}

}
