package dev.idempotency.observation;

import java.util.Locale;

import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.observation.IdempotencyObservationDocumentation.HighCardinalityKeyNames;
import dev.idempotency.observation.IdempotencyObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * Names the observation {@value #NAME}, its span {@code idempotent <operation>} or, for a
 * replay, {@code idempotent replay <operation>}, and tags it with the
 * {@link IdempotencyObservationDocumentation#OPERATION documented} key values.
 */
public class DefaultIdempotencyObservationConvention implements IdempotencyObservationConvention {

	/** The observation's name. */
	public static final String NAME = "idempotency.operation";

	private static final String NONE = "none";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(IdempotencyObservationContext context) {
		String prefix = (context.getOutcome() == Outcome.REPLAYED) ? "idempotent replay " : "idempotent ";
		return prefix + context.getOperationName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(IdempotencyObservationContext context) {
		Outcome outcome = context.getOutcome();
		Completion completion = context.getCompletion();
		return KeyValues.of(LowCardinalityKeyNames.ENDPOINT.withValue(context.getOperationName()),
				LowCardinalityKeyNames.OUTCOME.withValue((outcome != null) ? lowerCase(outcome) : NONE),
				LowCardinalityKeyNames.COMPLETION.withValue((completion != null) ? lowerCase(completion) : NONE));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(IdempotencyObservationContext context) {
		KeyValues keyValues = KeyValues.of(HighCardinalityKeyNames.KEY_DIGEST.withValue(context.getKey().digest()));
		String originalTraceId = context.getOriginalTraceId();
		return (originalTraceId != null)
				? keyValues.and(HighCardinalityKeyNames.ORIGINAL_TRACE_ID.withValue(originalTraceId)) : keyValues;
	}

	private static String lowerCase(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
