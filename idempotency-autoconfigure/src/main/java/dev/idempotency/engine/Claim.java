package dev.idempotency.engine;

import dev.idempotency.StoredResponse;

/**
 * What {@link IdempotencyEngine#claim} decided: run the operation, or replay the result
 * of an earlier execution. Refusals are exceptions.
 */
public sealed interface Claim permits Claim.Run, Claim.Replay {

	/**
	 * The caller owns the key: run the operation, then complete or release it.
	 *
	 * @param operation the running operation
	 */
	record Run(RunningOperation operation) implements Claim {
	}

	/**
	 * The operation completed earlier with the same request: hand back its result.
	 *
	 * @param response the stored result
	 */
	record Replay(StoredResponse response) implements Claim {
	}

}
