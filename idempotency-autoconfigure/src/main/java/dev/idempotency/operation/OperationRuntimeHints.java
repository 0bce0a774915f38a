package dev.idempotency.operation;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image must keep for {@code @Idempotent} methods: the classes looked up by
 * name to learn whether a messaging library is present (without a hint the lookup fails
 * in a native image, and a redelivered message would be fingerprinted with its delivery
 * tag, a poison message requeued forever), and the envelopes' payload accessors, invoked
 * reflectively. Registered in {@code META-INF/spring/aot.factories}.
 */
final class OperationRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(TypeReference.of(AmqpRejection.REJECT_WITHOUT_REQUEUE));
		for (Envelopes.Envelope envelope : Envelopes.KNOWN) {
			TypeReference type = TypeReference.of(envelope.className);
			String accessor = envelope.accessor;
			if (accessor != null) {
				hints.reflection()
					.registerType(type, (hint) -> hint.withMethod(accessor, List.of(), ExecutableMode.INVOKE));
			}
			else {
				hints.reflection().registerType(type);
			}
		}
	}

}
