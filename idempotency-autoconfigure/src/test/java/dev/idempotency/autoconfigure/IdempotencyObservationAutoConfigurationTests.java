package dev.idempotency.autoconfigure;

import java.time.Duration;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.OperationPolicy;
import dev.idempotency.observation.DefaultIdempotencyObservationConvention;
import dev.idempotency.observation.IdempotencyObservationConvention;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyObservationAutoConfigurationTests {

	private static final IdempotentOperation OPERATION = new IdempotentOperation(
			new IdempotencyKey("tenant", "orders", "k1"), "fp", "orders",
			new OperationPolicy(Duration.ofSeconds(30), Duration.ofHours(1), false, Duration.ZERO));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
		.withPropertyValues("idempotency.store.type=in-memory");

	@Test
	void theEngineObservesOperationsWithTheApplicationsObservationRegistry() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		contextRunner.withBean(TestObservationRegistry.class, () -> registry).run((context) -> {
			claimAndRelease(context.getBean(IdempotencyEngine.class));

			assertThat(registry).hasObservationWithNameEqualTo(DefaultIdempotencyObservationConvention.NAME)
				.that()
				.hasLowCardinalityKeyValue("outcome", "executed");
		});
	}

	@Test
	void theEngineUsesTheApplicationsObservationConvention() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		contextRunner.withBean(TestObservationRegistry.class, () -> registry)
			.withBean(IdempotencyObservationConvention.class, () -> new DefaultIdempotencyObservationConvention() {

				@Override
				public String getName() {
					return "payments.idempotency";
				}

			})
			.run((context) -> {
				claimAndRelease(context.getBean(IdempotencyEngine.class));

				assertThat(registry).hasObservationWithNameEqualTo("payments.idempotency");
			});
	}

	@Test
	void withoutAnObservationRegistryTheEngineStillWorks() {
		contextRunner.run((context) -> claimAndRelease(context.getBean(IdempotencyEngine.class)));
	}

	private static void claimAndRelease(IdempotencyEngine engine) {
		Claim claim = engine.claim(OPERATION);
		assertThat(claim).isInstanceOf(Claim.Run.class);
		((Claim.Run) claim).operation().release(false);
	}

}
