package dev.idempotency.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of an idempotent operation: {@link #OPERATION} from the claim until
 * the operation is replayed, refused or finished, with the code it runs nested inside;
 * {@link #CLAIM} and {@link #COMPLETE} as its children around the store calls (the store
 * client's own spans nest under them).
 */
public enum IdempotencyObservationDocumentation implements ObservationDocumentation {

	/** One idempotent operation, from its claim to its end. */
	OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultIdempotencyObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	},

	/** Claiming the key in the store, including any wait for a running duplicate. */
	CLAIM {

		@Override
		public String getName() {
			return "idempotency.claim";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.ENDPOINT };
		}

	},

	/** Storing the result of an operation that ran, or releasing its key. */
	COMPLETE {

		@Override
		public String getName() {
			return "idempotency.complete";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.ENDPOINT };
		}

	};

	/** Key values of bounded cardinality, fit for metrics. */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The operation's name: the endpoint's mapping or the method's name. */
		ENDPOINT {
			@Override
			public String asString() {
				return "endpoint";
			}
		},

		/**
		 * What the claim decided: {@code executed}, {@code replayed}, {@code conflict},
		 * {@code mismatch} or {@code unavailable}.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/**
		 * How an executed operation finished ({@code stored}, {@code released_status},
		 * {@code released_error}, {@code stored_without_body}, {@code lock_lost},
		 * {@code store_failed}); {@code none} when it did not run.
		 */
		COMPLETION {
			@Override
			public String asString() {
				return "completion";
			}
		}

	}

	/** Key values of unbounded cardinality, for traces only. */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The digest of the scoped key (never the client's key): the same on the original
		 * and on every replay, so they can be found together.
		 */
		KEY_DIGEST {
			@Override
			public String asString() {
				return "idempotency.key.digest";
			}
		},

		/**
		 * On a replay, the trace id of the operation whose result it replays (when that
		 * was traced): the trace to open to see what the original did.
		 */
		ORIGINAL_TRACE_ID {
			@Override
			public String asString() {
				return "idempotency.original.trace.id";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		}

	}

}
