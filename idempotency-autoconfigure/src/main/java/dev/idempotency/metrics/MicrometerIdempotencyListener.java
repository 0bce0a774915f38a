package dev.idempotency.metrics;

import java.util.Locale;

import dev.idempotency.IdempotencyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what the idempotency layer decides. Meters:
 * <ul>
 * <li>{@value #REQUESTS} with tags {@code endpoint} (the mapping pattern) and
 * {@code outcome}: {@code hit} (replayed), {@code miss} (executed), {@code conflict},
 * {@code mismatch}, {@code rejected}, {@code unavailable};</li>
 * <li>{@value #COMPLETIONS} with tags {@code endpoint} and {@code result}:
 * {@code stored}, {@code released_status}, {@code released_error},
 * {@code released_too_large}, {@code lock_lost}, {@code store_failed}.</li>
 * </ul>
 * Tag values come from enums and mapping patterns, so cardinality is bounded.
 */
public class MicrometerIdempotencyListener implements IdempotencyListener {

	/** Requests to idempotent endpoints, by outcome. */
	public static final String REQUESTS = "idempotency.requests";

	/** Keys of executed requests, by what happened to them. */
	public static final String COMPLETIONS = "idempotency.completions";

	private final MeterRegistry registry;

	public MicrometerIdempotencyListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onRequest(String endpoint, Outcome outcome) {
		Counter.builder(REQUESTS)
			.description("Requests to idempotent endpoints: hit (replayed), miss (executed), or rejected")
			.tag("endpoint", endpoint)
			.tag("outcome", name(outcome))
			.register(registry)
			.increment();
	}

	@Override
	public void onCompletion(String endpoint, Completion completion) {
		Counter.builder(COMPLETIONS)
			.description("Executed idempotent requests, by whether their response was stored")
			.tag("endpoint", endpoint)
			.tag("result", completion.name().toLowerCase(Locale.ROOT))
			.register(registry)
			.increment();
	}

	private static String name(Outcome outcome) {
		return switch (outcome) {
			case REPLAYED -> "hit";
			case EXECUTED -> "miss";
			default -> outcome.name().toLowerCase(Locale.ROOT);
		};
	}

}
