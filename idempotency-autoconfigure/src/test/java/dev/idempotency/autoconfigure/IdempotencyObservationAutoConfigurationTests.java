package dev.idempotency.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.OperationPolicy;
import dev.idempotency.observation.DefaultIdempotencyObservationConvention;
import dev.idempotency.observation.IdempotencyObservationConvention;
import dev.idempotency.observation.TraceIdSource;
import dev.idempotency.observation.TracerTraceIdSource;
import dev.idempotency.store.StoredResponseCodec;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

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
	void withATracerCompletedOperationsKeepTheTraceTheyRanIn() {
		SimpleTracer tracer = new SimpleTracer();
		TestObservationRegistry registry = TestObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		contextRunner.withBean(TestObservationRegistry.class, () -> registry)
			.withBean(Tracer.class, () -> tracer)
			.run((context) -> {
				assertThat(context).getBean(TraceIdSource.class).isInstanceOf(TracerTraceIdSource.class);
				StoredResponse stored = claimAndComplete(context);
				assertThat(stored.traceId()).isNotNull().isEqualTo(tracer.getSpans().getFirst().context().traceId());
			});
	}

	@Test
	void turnedOffNoTraceIdIsKeptAndResponsesStayReadableByOlderInstances() {
		SimpleTracer tracer = new SimpleTracer();
		TestObservationRegistry registry = TestObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		contextRunner.withBean(TestObservationRegistry.class, () -> registry)
			.withBean(Tracer.class, () -> tracer)
			.withPropertyValues("idempotency.response.store-trace-id=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TraceIdSource.class);
				StoredResponse stored = claimAndComplete(context);
				assertThat(stored.traceId()).isNull();
				assertThat(tracer.getSpans()).as("traced all the same").isNotEmpty();
				assertThat(StoredResponseCodec.encode(stored)[0]).as("the format 0.1 reads").isEqualTo((byte) 1);
			});
	}

	@Test
	void withoutMicrometerTracingNoTraceIdIsKept() {
		contextRunner.withClassLoader(new FilteredClassLoader(Tracer.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(TraceIdSource.class);
			assertThat(claimAndComplete(context).traceId()).isNull();
		});
	}

	@Test
	void theApplicationsTraceIdSourceReplacesOurs() {
		contextRunner.withBean(Tracer.class, SimpleTracer::new)
			.withBean(TraceIdSource.class, () -> () -> "app-trace-1")
			.run((context) -> assertThat(claimAndComplete(context).traceId()).isEqualTo("app-trace-1"));
	}

	@Test
	void withoutAnObservationRegistryTheEngineStillWorks() {
		contextRunner.run((context) -> claimAndRelease(context.getBean(IdempotencyEngine.class)));
	}

	private static StoredResponse claimAndComplete(ApplicationContext context) {
		Claim claim = context.getBean(IdempotencyEngine.class).claim(OPERATION);
		assertThat(claim).isInstanceOf(Claim.Run.class);
		((Claim.Run) claim).operation().complete(new StoredResponse(201, Map.of(), new byte[0]));
		StoredResponse stored = context.getBean(IdempotencyStore.class).find(OPERATION.key()).orElseThrow().response();
		assertThat(stored).isNotNull();
		return stored;
	}

	private static void claimAndRelease(IdempotencyEngine engine) {
		Claim claim = engine.claim(OPERATION);
		assertThat(claim).isInstanceOf(Claim.Run.class);
		((Claim.Run) claim).operation().release(false);
	}

}
