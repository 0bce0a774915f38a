package dev.idempotency.engine;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.observation.IdempotencyObservationContext;
import dev.idempotency.observation.IdempotencyObservationConvention;
import dev.idempotency.observation.TracerTraceIdSource;
import dev.idempotency.store.InMemoryIdempotencyStore;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The observations the engine makes of each operation, without any entry point.
 */
class IdempotencyEngineObservationTests {

	private static final OperationPolicy REJECT = new OperationPolicy(Duration.ofSeconds(30), Duration.ofHours(1),
			false, Duration.ZERO);

	private static final StoredResponse RESULT = new StoredResponse(201, Map.of(), "{\"id\":1}".getBytes());

	private static final Predicate<Observation.ContextView> IS_OPERATION = (context) -> "idempotency.operation"
		.equals(context.getName());

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

	private final LeaseKeeper leases = new LeaseKeeper(store, IdempotencyListener.NONE);

	private final IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases, registry,
			null);

	@AfterEach
	void closeLeases() {
		leases.close();
	}

	@Test
	void anExecutedOperationAndItsReplayAreTwoObservationsSharingTheKeyDigest() {
		IdempotentOperation operation = operation("fp");
		String digest = operation.key().digest();

		run(engine.claim(operation)).complete(RESULT);
		assertThat(engine.claim(operation)).isInstanceOf(Claim.Replay.class);

		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("idempotency.operation", 2)
			.forAllObservationsWithNameEqualTo("idempotency.operation",
					(observation) -> observation.hasLowCardinalityKeyValue("endpoint", "orders")
						.hasHighCardinalityKeyValue("idempotency.key.digest", digest)
						.doesNotHaveHighCardinalityKeyValueWithKey("client.key")
						.doesNotHaveError())
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("idempotent orders")
				.hasLowCardinalityKeyValue("outcome", "executed")
				.hasLowCardinalityKeyValue("completion", "stored"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("idempotent replay orders")
				.hasLowCardinalityKeyValue("outcome", "replayed")
				.hasLowCardinalityKeyValue("completion", "none"));
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("idempotency.claim", 2)
			.hasNumberOfObservationsWithNameEqualTo("idempotency.complete", 1)
			.forAllObservationsWithNameEqualTo("idempotency.claim",
					(claim) -> claim.hasLowCardinalityKeyValue("endpoint", "orders")
						.hasParentObservationContextMatching(IS_OPERATION))
			.forAllObservationsWithNameEqualTo("idempotency.complete",
					(complete) -> complete.hasParentObservationContextMatching(IS_OPERATION));
	}

	@Test
	void aReplayNamesTheTraceOfTheOperationItReplays() {
		SimpleTracer tracer = new SimpleTracer();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases, registry, null);
		engine.setTraceIdSource(new TracerTraceIdSource(tracer));
		IdempotentOperation operation = operation("fp");

		run(engine.claim(operation)).complete(RESULT);
		Claim replay = engine.claim(operation);

		SimpleSpan original = span(tracer, "idempotent orders");
		SimpleSpan replayed = span(tracer, "idempotent replay orders");
		String originalTraceId = original.context().traceId();
		assertThat(originalTraceId).isNotEmpty().isNotEqualTo(replayed.context().traceId());
		assertThat(replayed.getTags()).containsEntry("idempotency.original.trace.id", originalTraceId);
		assertThat(original.getTags()).doesNotContainKey("idempotency.original.trace.id");
		assertThat(store.find(operation.key()).orElseThrow().response()).isEqualTo(RESULT.withTraceId(originalTraceId));
		assertThat(((Claim.Replay) replay).response().traceId()).isEqualTo(originalTraceId);
	}

	@Test
	void withoutATraceIdSourceTheResultIsStoredWithoutATraceAndTheReplayNamesNone() {
		IdempotentOperation operation = operation("fp");

		run(engine.claim(operation)).complete(RESULT);
		engine.claim(operation);

		assertThat(store.find(operation.key()).orElseThrow().response()).isEqualTo(RESULT);
		assertThat(registry).forAllObservationsWithNameEqualTo("idempotency.operation", (observation) -> observation
			.doesNotHaveHighCardinalityKeyValueWithKey("idempotency.original.trace.id"));
	}

	@Test
	void aTraceIdSourceThatFailsCostsOnlyTheTraceId() {
		engine.setTraceIdSource(() -> {
			throw new IllegalStateException("no tracer");
		});
		IdempotentOperation operation = operation("fp");
		assertThat(run(engine.claim(operation)).complete(RESULT)).isEqualTo(IdempotencyListener.Completion.STORED);
		engine.setTraceIdSource(() -> "not a\ntrace id");
		IdempotentOperation other = operation("fp");
		assertThat(run(engine.claim(other)).complete(RESULT)).isEqualTo(IdempotencyListener.Completion.STORED);

		assertThat(store.find(operation.key()).orElseThrow().response()).isEqualTo(RESULT);
		assertThat(store.find(other.key()).orElseThrow().response()).isEqualTo(RESULT);
	}

	@Test
	void theClientKeyNeverAppearsInTheObservation() {
		IdempotentOperation operation = operation("fp");

		run(engine.claim(operation)).complete(RESULT);

		assertThat(registry).hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts)
			.allSatisfy((context) -> assertThat(context.getAllKeyValues().stream().map((kv) -> kv.getValue()))
				.doesNotContain(operation.key().clientKey())));
	}

	@Test
	void aDuplicateOfARunningOperationIsObservedAsAConflict() {
		IdempotentOperation operation = operation("fp");
		RunningOperation running = run(engine.claim(operation));

		assertThatExceptionOfType(IdempotencyInFlightException.class).isThrownBy(() -> engine.claim(operation));
		running.release(false);

		assertThat(registry).hasAnObservation((observation) -> observation.hasNameEqualTo("idempotency.operation")
			.hasLowCardinalityKeyValue("outcome", "conflict")
			.hasLowCardinalityKeyValue("completion", "none"));
	}

	@Test
	void aReusedKeyIsObservedAsAMismatch() {
		IdempotentOperation operation = operation("fp");
		run(engine.claim(operation)).complete(RESULT);

		assertThatExceptionOfType(IdempotencyKeyReusedException.class).isThrownBy(() -> engine
			.claim(new IdempotentOperation(operation.key(), "other", operation.name(), operation.policy())));

		assertThat(registry).hasAnObservation((observation) -> observation.hasNameEqualTo("idempotency.operation")
			.hasLowCardinalityKeyValue("outcome", "mismatch"));
	}

	@Test
	void aReleasedOperationEndsItsObservationWithHowItWasReleased() {
		run(engine.claim(operation("fp"))).release(true);

		assertThat(registry).hasObservationWithNameEqualTo("idempotency.operation")
			.that()
			.hasLowCardinalityKeyValue("outcome", "executed")
			.hasLowCardinalityKeyValue("completion", "released_error");
	}

	@Test
	void aStoreFailureEndsTheObservationWithTheError() {
		IdempotencyStoreException down = new IdempotencyStoreException("down");
		InMemoryIdempotencyStore failing = new InMemoryIdempotencyStore() {

			@Override
			public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
				throw down;
			}

		};
		IdempotencyEngine engine = new IdempotencyEngine(failing, IdempotencyListener.NONE, leases, registry, null);

		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> engine.claim(operation("fp")));

		assertThat(registry)
			.hasAnObservation((observation) -> observation.hasNameEqualTo("idempotency.operation")
				.hasLowCardinalityKeyValue("outcome", "unavailable")
				.hasError(down))
			.hasAnObservation((observation) -> observation.hasNameEqualTo("idempotency.claim").hasError(down));
	}

	@Test
	void codeRunWhileTheOperationIsBoundNestsUnderItsObservation() {
		RunningOperation running = run(engine.claim(operation("fp")));
		try (IdempotencyContext.Scope bound = IdempotencyContext.bind(running)) {
			Observation.createNotStarted("charge", registry).observe(() -> {
			});
		}
		running.complete(RESULT);

		assertThat(registry.getCurrentObservation()).isNull();
		assertThat(registry).hasObservationWithNameEqualTo("charge")
			.that()
			.hasParentObservationContextMatching(IS_OPERATION);
	}

	@Test
	void aConventionBeanRenamesAndRetagsTheObservation() {
		IdempotencyObservationConvention convention = new IdempotencyObservationConvention() {

			@Override
			public String getName() {
				return "payments.idempotency";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(IdempotencyObservationContext context) {
				return KeyValues.of("operation", context.getOperationName());
			}

		};
		IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases, registry, convention);

		run(engine.claim(operation("fp"))).release(false);

		assertThat(registry).hasObservationWithNameEqualTo("payments.idempotency")
			.that()
			.hasLowCardinalityKeyValue("operation", "orders")
			.doesNotHaveLowCardinalityKeyValueWithKey("outcome");
	}

	@Test
	void withoutARegistryNothingIsObserved() {
		IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases,
				ObservationRegistry.NOOP, null);

		RunningOperation running = run(engine.claim(operation("fp")));

		assertThat(running.observation().isNoop()).isTrue();
		running.complete(RESULT);
	}

	private static IdempotentOperation operation(String fingerprint) {
		return new IdempotentOperation(new IdempotencyKey("tenant", "orders", UUID.randomUUID().toString()),
				fingerprint, "orders", REJECT);
	}

	private static SimpleSpan span(SimpleTracer tracer, String name) {
		return tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).findFirst().orElseThrow();
	}

	private static RunningOperation run(Claim claim) {
		assertThat(claim).isInstanceOf(Claim.Run.class);
		return ((Claim.Run) claim).operation();
	}

}
