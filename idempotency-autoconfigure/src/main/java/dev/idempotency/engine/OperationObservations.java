package dev.idempotency.engine;

import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.StoredResponse;
import dev.idempotency.observation.DefaultIdempotencyObservationConvention;
import dev.idempotency.observation.IdempotencyObservationContext;
import dev.idempotency.observation.IdempotencyObservationConvention;
import dev.idempotency.observation.IdempotencyObservationDocumentation;
import dev.idempotency.observation.IdempotencyObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Starts and ends the observations of operations. With {@link ObservationRegistry#NOOP}
 * every observation is {@link Observation#NOOP}: no context is created and nothing is
 * recorded.
 */
final class OperationObservations {

	static final OperationObservations NONE = new OperationObservations(ObservationRegistry.NOOP, null);

	private static final DefaultIdempotencyObservationConvention DEFAULT_CONVENTION = new DefaultIdempotencyObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable IdempotencyObservationConvention convention;

	OperationObservations(ObservationRegistry registry, @Nullable IdempotencyObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/** Starts the operation's observation, a child of the thread's current one. */
	Observation start(IdempotentOperation operation) {
		return IdempotencyObservationDocumentation.OPERATION
			.observation(convention, DEFAULT_CONVENTION,
					() -> new IdempotencyObservationContext(operation.name(), operation.key()), registry)
			.start();
	}

	/**
	 * Starts a child of the operation ({@code idempotency.claim} or
	 * {@code idempotency.complete}) around a store call; the caller opens its scope.
	 */
	Observation startChild(IdempotencyObservationDocumentation step, Observation parent,
			IdempotentOperation operation) {
		return step.observation(registry, Observation.Context::new)
			.parentObservation(parent)
			.lowCardinalityKeyValue(LowCardinalityKeyNames.ENDPOINT.withValue(operation.name()))
			.start();
	}

	/** Ends an operation that did not run: replayed or refused. */
	static void stop(Observation observation, Outcome outcome, @Nullable Throwable error) {
		if (observation.getContext() instanceof IdempotencyObservationContext context) {
			context.setOutcome(outcome);
		}
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	/** Ends a replay, naming the trace of the operation whose result it replays. */
	static void replayed(Observation observation, StoredResponse response) {
		if (observation.getContext() instanceof IdempotencyObservationContext context) {
			context.setOriginalTraceId(response.traceId());
		}
		stop(observation, Outcome.REPLAYED, null);
	}

	/** Notes that the claim let the operation run. */
	static void executed(Observation observation) {
		if (observation.getContext() instanceof IdempotencyObservationContext context) {
			context.setOutcome(Outcome.EXECUTED);
		}
	}

	/** Ends an operation that ran. */
	static void finished(Observation observation, Completion completion) {
		if (observation.getContext() instanceof IdempotencyObservationContext context) {
			context.setCompletion(completion);
		}
		observation.stop();
	}

}
