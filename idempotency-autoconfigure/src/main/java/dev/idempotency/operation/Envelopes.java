package dev.idempotency.operation;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Message envelopes fingerprinted by what they carry: a redelivered message has new
 * delivery tags, timestamps and flags around the same body, and must still be recognised
 * as the same input. Looked up by name, so no messaging library is required; the accessor
 * is the envelope type's own public method, which {@link OperationRuntimeHints} keeps in
 * a native image.
 */
final class Envelopes {

	static final List<Envelope> KNOWN = List.of(new Envelope("org.springframework.messaging.Message", "getPayload"),
			new Envelope("org.springframework.amqp.core.Message", "getBody"),
			new Envelope("org.apache.kafka.clients.consumer.ConsumerRecord", "value"),
			new Envelope("jakarta.jms.Message", null));

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
				Method accessor = envelope.accessorMethod();
				return (accessor != null) ? ReflectionUtils.invokeMethod(accessor, argument) : argument;
			}
		}
		return argument;
	}

	/**
	 * An envelope type and the public no-argument method that returns its payload.
	 */
	static final class Envelope {

		final String className;

		final @Nullable String accessor;

		private volatile boolean resolved;

		private volatile @Nullable Class<?> type;

		private volatile @Nullable Method accessorMethod;

		Envelope(String className, @Nullable String accessor) {
			this.className = className;
			this.accessor = accessor;
		}

		@Nullable Class<?> type() {
			resolve();
			return type;
		}

		@Nullable Method accessorMethod() {
			resolve();
			return accessorMethod;
		}

		private void resolve() {
			if (!resolved) {
				ClassLoader loader = Envelopes.class.getClassLoader();
				Class<?> found = ClassUtils.isPresent(className, loader)
						? ClassUtils.resolveClassName(className, loader) : null;
				accessorMethod = (found != null && accessor != null) ? ClassUtils.getMethodIfAvailable(found, accessor)
						: null;
				type = found;
				resolved = true;
			}
		}

	}

}
