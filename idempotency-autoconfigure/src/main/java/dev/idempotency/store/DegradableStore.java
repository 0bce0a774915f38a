package dev.idempotency.store;

/**
 * A store that can go on without one of its layers, and says whether it does: what the
 * {@code idempotency.store.degraded} gauge reads. Implementations are thread-safe.
 */
public interface DegradableStore {

	/**
	 * Whether a layer is being bypassed after a failure.
	 * @return {@code true} while the store runs without one of its layers
	 */
	boolean isDegraded();

}
