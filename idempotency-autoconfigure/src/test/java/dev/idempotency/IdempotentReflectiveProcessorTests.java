package dev.idempotency;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints Spring's AOT engine registers for beans with {@link Idempotent} methods, as
 * it does for every bean of an application it processes.
 */
class IdempotentReflectiveProcessorTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void keepsAServiceMethodItsResultAndItsArgumentsForJsonBinding() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Refunds.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Refunds.class, "create")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Refund.class, "amount")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RefundCommand.class, "refundId"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Refunds.class, "notIdempotent"))
			.rejects(hints);
	}

	@Test
	void leavesTheArgumentsOfAHandlerToSpringMvc() throws NoSuchMethodException {
		// Spring MVC's own processor (on @RequestMapping) binds @RequestBody parameters.
		new IdempotentReflectiveProcessor().registerReflectionHints(hints.reflection(),
				Orders.class.getDeclaredMethod("place", RefundCommand.class));
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Orders.class, "place")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Refund.class, "amount")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(RefundCommand.class)).rejects(hints);
	}

	record RefundCommand(String refundId, long amount) {
	}

	record Refund(String id, long amount) {
	}

	static class Refunds {

		@Idempotent(key = "#command.refundId")
		public Refund create(RefundCommand command) {
			return new Refund("re_1", command.amount());
		}

		public Refund notIdempotent(RefundCommand command) {
			return new Refund("re_2", command.amount());
		}

	}

	static class Orders {

		@PostMapping("/orders")
		@Idempotent
		Refund place(@RequestBody RefundCommand command) {
			return new Refund("re_3", command.amount());
		}

	}

}
