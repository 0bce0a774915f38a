package dev.idempotency.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;

/**
 * Reports every call of a store layer, with its result and duration, to an
 * {@link IdempotencyListener}: how metrics see each layer of a store.
 */
public class ListeningIdempotencyStore implements IdempotencyStore {

	private final IdempotencyStore delegate;

	private final String layer;

	private final IdempotencyListener listener;

	public ListeningIdempotencyStore(IdempotencyStore delegate, String layer, IdempotencyListener listener) {
		this.delegate = delegate;
		this.layer = layer;
		this.listener = listener;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		return call("claim", () -> delegate.claim(key, fingerprint, lockTimeout), ListeningIdempotencyStore::name);
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		return call("complete", () -> delegate.complete(key, lockToken, response, retention), String::valueOf);
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return call("release", () -> delegate.release(key, lockToken), String::valueOf);
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		return call("renew", () -> delegate.renew(key, lockToken, lockTimeout), String::valueOf);
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return call("find", () -> delegate.find(key),
				(found) -> found.map((record) -> record.isCompleted() ? "completed" : "in_flight").orElse("absent"));
	}

	protected final <T> T call(String operation, Supplier<T> call, Function<T, String> result) {
		long start = System.nanoTime();
		try {
			T answer = call.get();
			listener.onStoreOperation(layer, operation, result.apply(answer), System.nanoTime() - start);
			return answer;
		}
		catch (RuntimeException ex) {
			listener.onStoreOperation(layer, operation, "error", System.nanoTime() - start);
			throw ex;
		}
	}

	/** The result tag of a claim, without reflection or a new string per call. */
	private static String name(ClaimResult result) {
		if (result instanceof ClaimResult.Acquired) {
			return "acquired";
		}
		if (result instanceof ClaimResult.Completed) {
			return "completed";
		}
		if (result instanceof ClaimResult.InFlight) {
			return "in_flight";
		}
		if (result instanceof ClaimResult.Mismatch) {
			return "mismatch";
		}
		String simple = result.getClass().getSimpleName();
		return simple.toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return layer + ":" + delegate;
	}

}
