package dev.idempotency;

/**
 * Hears what the idempotency layer decides, for metrics or logs. Every method has a no-op
 * default; implementations must be fast and thread-safe.
 */
public interface IdempotencyListener {

	/** A listener that does nothing. */
	IdempotencyListener NONE = new IdempotencyListener() {
	};

	/**
	 * Called once for each request to an idempotent endpoint.
	 * @param endpoint the endpoint's mapping, such as {@code POST /payments/{id}}
	 * @param outcome what the request got
	 */
	default void onRequest(String endpoint, Outcome outcome) {
	}

	/**
	 * Called once for each request that ran its handler, when its key is completed or
	 * released.
	 * @param endpoint the endpoint's mapping
	 * @param completion what happened to the key
	 */
	default void onCompletion(String endpoint, Completion completion) {
	}

	/**
	 * Called after each attempt to renew the lock of a running operation.
	 * @param name the operation's name
	 * @param renewal what the store answered
	 */
	default void onLeaseRenewal(String name, LeaseRenewal renewal) {
	}

	/**
	 * Called after each call of a store layer.
	 * @param layer the layer
	 * @param operation the call; {@link StoreOperation#PUT_COMPLETED} and
	 * {@link StoreOperation#EVICT_IN_FLIGHT} only for the cache layer of a two-layer
	 * store
	 * @param result what it answered
	 * @param nanos how long it took
	 */
	default void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result, long nanos) {
	}

	/**
	 * Called when a layer lacked an answer another layer had and was written back.
	 * @param layer the layer written to
	 */
	default void onBackfill(StoreLayer layer) {
	}

	/**
	 * Called when a layer failed (or its breaker was open) and requests went on without
	 * it.
	 * @param layer the layer bypassed
	 */
	default void onFallback(StoreLayer layer) {
	}

	/**
	 * What a request to an idempotent endpoint got.
	 */
	enum Outcome {

		/** A miss: the key was new and the handler ran. */
		EXECUTED,

		/** A hit: the stored response was replayed and the handler did not run. */
		REPLAYED,

		/** The key was in flight: {@code 409}. */
		CONFLICT,

		/** The key was used by a different request: {@code 422}. */
		MISMATCH,

		/**
		 * The key was missing or malformed, or the body too large:
		 * {@code 400}/{@code 413}.
		 */
		REJECTED,

		/** The store failed: {@code 503}. */
		UNAVAILABLE

	}

	/**
	 * What happened to the key of a request that ran its handler.
	 */
	enum Completion {

		/** The response was stored for replay. */
		STORED,

		/** The status is not one the policy stores; the key was released. */
		RELEASED_STATUS,

		/** The handler threw; the key was released. */
		RELEASED_ERROR,

		/**
		 * The response body was larger than the storable maximum: a record without it was
		 * stored, so retries are refused ({@code response-not-stored}) and never run
		 * again.
		 */
		STORED_WITHOUT_BODY,

		/** The lock had expired and another request took the key; nothing was stored. */
		LOCK_LOST,

		/** The store failed while completing; the key stays locked until its timeout. */
		STORE_FAILED,

		/**
		 * The operation ran in a transaction that could not commit its result: its writes
		 * and its claim were rolled back, the key is free, and its result was not
		 * delivered.
		 */
		ROLLED_BACK

	}

	/**
	 * What an attempt to renew a running operation's lock found.
	 */
	enum LeaseRenewal {

		/** The lock was extended by its lock timeout. */
		RENEWED,

		/**
		 * The lock no longer belonged to the operation (expired and taken over, or
		 * evicted): renewals stop and its result will not be stored.
		 */
		LOST,

		/** The store failed; the next interval tries again. */
		FAILED

	}

	/**
	 * A layer of a store, as store events name it. Metrics tag it with its lower-case
	 * name.
	 */
	enum StoreLayer {

		/** Redis, alone or as the cache layer in front of a database. */
		REDIS,

		/** A database through JDBC, alone or as the authority of a two-layer store. */
		DATABASE,

		/** This JVM's memory. */
		MEMORY,

		/**
		 * This JVM's cache of completed responses in front of a shared store
		 * ({@code NearCachedIdempotencyStore}): its claims are
		 * {@link StoreResult#COMPLETED} (a hit, replayed without a round trip) or
		 * {@link StoreResult#ABSENT} (a miss, asked of the store).
		 */
		NEAR_CACHE

	}

	/**
	 * A call of a store layer. Metrics tag it with its lower-case name.
	 */
	enum StoreOperation {

		/** {@code claim}. */
		CLAIM,

		/** {@code complete}. */
		COMPLETE,

		/** {@code release}. */
		RELEASE,

		/** {@code renew}. */
		RENEW,

		/** {@code find}. */
		FIND,

		/** {@code evict}. */
		EVICT,

		/** The cache layer's unfenced write of a completed response. */
		PUT_COMPLETED,

		/** The cache layer's unfenced removal of an in-flight marker. */
		EVICT_IN_FLIGHT

	}

	/**
	 * What a call of a store layer answered. Metrics tag it with its lower-case name.
	 */
	enum StoreResult {

		/** A claim got the lock. */
		ACQUIRED,

		/** A claim or a find met a completed record. */
		COMPLETED,

		/** A claim or a find met a record in flight. */
		IN_FLIGHT,

		/** A claim met the key used with another fingerprint. */
		MISMATCH,

		/** A find met no record, or a near cache had no answer for a claim. */
		ABSENT,

		/** A complete, release, renew or evict took effect. */
		TRUE,

		/**
		 * A complete, release or renew did not: the lock was no longer the caller's; or
		 * an evict found no record.
		 */
		FALSE,

		/** An unfenced write of the cache layer was carried out. */
		DONE,

		/** The call threw. */
		ERROR;

		/**
		 * The result of a complete, release, renew or evict.
		 * @param answer what the call returned
		 * @return {@link #TRUE} or {@link #FALSE}
		 */
		public static StoreResult of(boolean answer) {
			return answer ? TRUE : FALSE;
		}

		/**
		 * The result of a claim.
		 * @param claim what the claim returned
		 * @return the result naming its case
		 */
		public static StoreResult of(ClaimResult claim) {
			if (claim instanceof ClaimResult.Acquired) {
				return ACQUIRED;
			}
			if (claim instanceof ClaimResult.Completed) {
				return COMPLETED;
			}
			return (claim instanceof ClaimResult.InFlight) ? IN_FLIGHT : MISMATCH;
		}

	}

}
