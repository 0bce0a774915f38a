package dev.idempotency.operation;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

class OperationRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	OperationRuntimeHintsTests() {
		new OperationRuntimeHints().registerHints(hints, getClass().getClassLoader());
	}

	@Test
	void keepsTheClassThatTellsWhetherSpringAmqpIsPresent() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of("org.springframework.amqp.AmqpRejectAndDontRequeueException"))).accepts(hints);
	}

	@Test
	void keepsThePayloadAccessorOfEachEnvelope() throws ClassNotFoundException {
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation("org.springframework.messaging.Message", "getPayload")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation("org.springframework.amqp.core.Message", "getBody")).accepts(hints);
		// Kafka and JMS are not on this module's test class path: read the hints as
		// written.
		assertThat(invokedMethods("org.apache.kafka.clients.consumer.ConsumerRecord")).containsExactly("value");
		assertThat(hints.reflection().getTypeHint(TypeReference.of("jakarta.jms.Message"))).isNotNull();
	}

	@Test
	void isRegisteredForTheAotEngine() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.anyMatch(OperationRuntimeHints.class::isInstance);
	}

	private List<String> invokedMethods(String className) {
		TypeHint hint = hints.reflection().getTypeHint(TypeReference.of(className));
		assertThat(hint).as(className).isNotNull();
		return hint.methods()
			.filter((method) -> method.getMode() == ExecutableMode.INVOKE && method.getParameterTypes().isEmpty())
			.map((method) -> method.getName())
			.toList();
	}

}
