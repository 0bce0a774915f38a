package dev.idempotency.observation;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyListener.Outcome;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an {@code idempotency.operation} observation knows: the operation, its key, what
 * the claim decided and, for an operation that ran, how it finished; for a replay, the
 * trace id of the operation it replays. They are set by the engine before the observation
 * stops.
 */
public class IdempotencyObservationContext extends Observation.Context {

	private final String operationName;

	private final IdempotencyKey key;

	private volatile @Nullable Outcome outcome;

	private volatile @Nullable Completion completion;

	private volatile @Nullable String originalTraceId;

	/**
	 * Creates a context.
	 * @param operationName the operation's name, of bounded cardinality (an endpoint's
	 * mapping, a method's name)
	 * @param key the operation's key
	 */
	public IdempotencyObservationContext(String operationName, IdempotencyKey key) {
		this.operationName = operationName;
		this.key = key;
	}

	/**
	 * The operation's name.
	 * @return the name
	 */
	public String getOperationName() {
		return operationName;
	}

	/**
	 * The operation's key: tag only its {@link IdempotencyKey#digest() digest}, never the
	 * client's key.
	 * @return the key
	 */
	public IdempotencyKey getKey() {
		return key;
	}

	/**
	 * What the claim decided.
	 * @return the outcome, or {@code null} while the claim runs
	 */
	public @Nullable Outcome getOutcome() {
		return outcome;
	}

	public void setOutcome(Outcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * How an operation that ran finished.
	 * @return the completion, or {@code null} while it runs or when it did not run
	 */
	public @Nullable Completion getCompletion() {
		return completion;
	}

	public void setCompletion(Completion completion) {
		this.completion = completion;
	}

	/**
	 * For a replay, the trace id of the operation whose result it replays.
	 * @return the trace id, or {@code null} when this is no replay or the original was
	 * not traced
	 */
	public @Nullable String getOriginalTraceId() {
		return originalTraceId;
	}

	public void setOriginalTraceId(@Nullable String originalTraceId) {
		this.originalTraceId = originalTraceId;
	}

}
