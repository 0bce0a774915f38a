package dev.idempotency.operation;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Message envelopes fingerprinted by what they carry: a redelivered message has new
 * delivery tags, timestamps and flags around the same body, and must still be recognised
 * as the same input. Looked up by name, so no messaging library is required.
 */
final class Envelopes {

	private static final Envelope[] KNOWN = { new Envelope("org.springframework.messaging.Message", "getPayload"),
			new Envelope("org.springframework.amqp.core.Message", "getBody"),
			new Envelope("org.apache.kafka.clients.consumer.ConsumerRecord", "value"),
			new Envelope("jakarta.jms.Message", null) };

	private Envelopes() {
	}

	static @Nullable Object payload(@Nullable Object argument) {
		if (argument == null) {
			return null;
		}
		for (Envelope envelope : KNOWN) {
			Class<?> type = envelope.type();
			if (type != null && type.isInstance(argument)) {
				if (envelope.accessor == null) {
					throw new IllegalStateException("A " + type.getSimpleName() + " argument cannot be fingerprinted; "
							+ "choose the fingerprint with @Idempotent(fingerprint = ...)");
				}
				Method accessor = ReflectionUtils.findMethod(argument.getClass(), envelope.accessor);
				return (accessor != null) ? ReflectionUtils.invokeMethod(accessor, argument) : argument;
			}
		}
		return argument;
	}

	private static final class Envelope {

		private final String className;

		private final @Nullable String accessor;

		private volatile boolean resolved;

		private volatile @Nullable Class<?> type;

		Envelope(String className, @Nullable String accessor) {
			this.className = className;
			this.accessor = accessor;
		}

		@Nullable Class<?> type() {
			if (!resolved) {
				ClassLoader loader = Envelopes.class.getClassLoader();
				type = ClassUtils.isPresent(className, loader) ? ClassUtils.resolveClassName(className, loader) : null;
				resolved = true;
			}
			return type;
		}

	}

}
