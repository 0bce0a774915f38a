package dev.idempotency.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.idempotency.IdempotencyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts what the idempotency layer decides. Meters:
 * <ul>
 * <li>{@value #REQUESTS} with tags {@code endpoint} (the mapping pattern) and
 * {@code outcome}: {@code hit} (replayed), {@code miss} (executed), {@code conflict},
 * {@code mismatch}, {@code rejected}, {@code unavailable};</li>
 * <li>{@value #COMPLETIONS} with tags {@code endpoint} and {@code result}:
 * {@code stored}, {@code released_status}, {@code released_error},
 * {@code stored_without_body}, {@code lock_lost}, {@code store_failed};</li>
 * <li>{@value #LEASE_RENEWALS} with tags {@code endpoint} and {@code result}:
 * {@code renewed}, {@code lost} (the operation's result will not be stored),
 * {@code failed} (the store failed; retried at the next tick);</li>
 * <li>{@value #STORE_OPERATIONS}, a timer with tags {@code layer} ({@code redis},
 * {@code database}, {@code near_cache}, ...), {@code operation} ({@code claim},
 * {@code complete}, {@code release}, {@code renew}, {@code find}, and for a cache layer
 * {@code put_completed}, {@code evict_in_flight}) and {@code result};</li>
 * <li>{@value #STORE_CLAIMS} with tags {@code layer} and {@code result}: {@code hit} (the
 * layer had the completed response), {@code in_flight}, {@code mismatch}, {@code miss}
 * (the key was free there; for the {@code near_cache} layer: it had no answer, and the
 * store was asked) or {@code error}: per layer, what a dashboard calls a Redis hit, a
 * database hit or a near-cache hit;</li>
 * <li>{@value #STORE_BACKFILLS} with tag {@code layer}: answers written back to a layer
 * that had lost them (Redis restarted, evicted, failed over);</li>
 * <li>{@value #STORE_FALLBACKS} with tag {@code layer}: calls that went on without a
 * failed layer (degraded).</li>
 * </ul>
 * Tag values come from enums (the listener's vocabulary, lower-cased) and mapping
 * patterns, so cardinality is bounded.
 * <p>
 * Each meter is registered once and then found in a map of this listener's, keyed by its
 * tag values: registering on every request (building the id and its tags, then the
 * registry's lookup) cost more than the recording itself. A meter removed from the
 * registry by someone else keeps counting here but is no longer published.
 */
public class MicrometerIdempotencyListener implements IdempotencyListener {

	/** Requests to idempotent endpoints, by outcome. */
	public static final String REQUESTS = "idempotency.requests";

	/** Keys of executed requests, by what happened to them. */
	public static final String COMPLETIONS = "idempotency.completions";

	/** Lock renewals of running operations, by result. */
	public static final String LEASE_RENEWALS = "idempotency.lease.renewals";

	/** Time spent in each store layer, by operation and result. */
	public static final String STORE_OPERATIONS = "idempotency.store.operations";

	/** Claims per layer, by what the layer knew: hit, in_flight, mismatch, miss. */
	public static final String STORE_CLAIMS = "idempotency.store.claims";

	/** Answers written back to a layer that had lost them. */
	public static final String STORE_BACKFILLS = "idempotency.store.backfills";

	/** Calls that bypassed a failed layer. */
	public static final String STORE_FALLBACKS = "idempotency.store.fallbacks";

	private final MeterRegistry registry;

	private final Map<Tags2, Counter> requests = new ConcurrentHashMap<>();

	private final Map<Tags2, Counter> completions = new ConcurrentHashMap<>();

	private final Map<Tags2, Counter> leaseRenewals = new ConcurrentHashMap<>();

	private final Map<StoreCall, Timer> storeOperations = new ConcurrentHashMap<>();

	private final Map<LayerClaim, Counter> storeClaims = new ConcurrentHashMap<>();

	private final Map<StoreLayer, Counter> backfills = new ConcurrentHashMap<>();

	private final Map<StoreLayer, Counter> fallbacks = new ConcurrentHashMap<>();

	public MicrometerIdempotencyListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onRequest(String endpoint, Outcome outcome) {
		requests
			.computeIfAbsent(new Tags2(endpoint, name(outcome)),
					(tags) -> Counter.builder(REQUESTS)
						.description("Requests to idempotent endpoints: hit (replayed), miss (executed), or rejected")
						.tag("endpoint", tags.first())
						.tag("outcome", tags.second())
						.register(registry))
			.increment();
	}

	@Override
	public void onCompletion(String endpoint, Completion completion) {
		completions
			.computeIfAbsent(new Tags2(endpoint, completion.name()),
					(tags) -> Counter.builder(COMPLETIONS)
						.description("Executed idempotent requests, by whether their response was stored")
						.tag("endpoint", tags.first())
						.tag("result", tags.second().toLowerCase(Locale.ROOT))
						.register(registry))
			.increment();
	}

	@Override
	public void onLeaseRenewal(String name, LeaseRenewal renewal) {
		leaseRenewals
			.computeIfAbsent(new Tags2(name, renewal.name()),
					(tags) -> Counter.builder(LEASE_RENEWALS)
						.description("Lock renewals of running idempotent operations")
						.tag("endpoint", tags.first())
						.tag("result", tags.second().toLowerCase(Locale.ROOT))
						.register(registry))
			.increment();
	}

	@Override
	public void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result, long nanos) {
		storeOperations
			.computeIfAbsent(new StoreCall(layer, operation, result),
					(call) -> Timer.builder(STORE_OPERATIONS)
						.description("Time spent in a store layer")
						.tag("layer", tag(call.layer()))
						.tag("operation", tag(call.operation()))
						.tag("result", tag(call.result()))
						.register(registry))
			.record(nanos, TimeUnit.NANOSECONDS);
		if (operation == StoreOperation.CLAIM) {
			storeClaims
				.computeIfAbsent(new LayerClaim(layer, result), (claim) -> Counter.builder(STORE_CLAIMS)
					.description("Claims per store layer: hit (completed response found), in_flight, mismatch, miss")
					.tag("layer", tag(claim.layer()))
					.tag("result", claimResult(claim.result()))
					.register(registry))
				.increment();
		}
	}

	@Override
	public void onBackfill(StoreLayer layer) {
		backfills
			.computeIfAbsent(layer,
					(key) -> Counter.builder(STORE_BACKFILLS)
						.description("Answers written back to a store layer that had lost them")
						.tag("layer", tag(key))
						.register(registry))
			.increment();
	}

	@Override
	public void onFallback(StoreLayer layer) {
		fallbacks
			.computeIfAbsent(layer,
					(key) -> Counter.builder(STORE_FALLBACKS)
						.description("Store calls that went on without a failed layer")
						.tag("layer", tag(key))
						.register(registry))
			.increment();
	}

	/**
	 * The tag value of a store event's enum: its lower-case name, as the README lists.
	 */
	private static String tag(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	private static String claimResult(StoreResult result) {
		return switch (result) {
			case COMPLETED -> "hit";
			case ACQUIRED, ABSENT -> "miss";
			default -> tag(result);
		};
	}

	/** The tag values of a store timer, as the key of its cache entry. */
	private record StoreCall(StoreLayer layer, StoreOperation operation, StoreResult result) {
	}

	/** The tag values of a layer's claim counter, as the key of its cache entry. */
	private record LayerClaim(StoreLayer layer, StoreResult result) {
	}

	/** The tag values of a meter, as the key of its cache entry. */
	private record Tags2(String first, String second) {
	}

	private static String name(Outcome outcome) {
		return switch (outcome) {
			case REPLAYED -> "hit";
			case EXECUTED -> "miss";
			default -> outcome.name().toLowerCase(Locale.ROOT);
		};
	}

}
