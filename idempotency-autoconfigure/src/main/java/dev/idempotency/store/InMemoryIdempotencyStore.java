package dev.idempotency.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdempotencyStore} in this JVM's memory, for tests and single-instance
 * applications. Atomicity comes from {@link ConcurrentHashMap#compute}: each claim,
 * completion and release runs under the lock of its key's bin.
 *
 * <p>
 * Bounded: when {@link #setMaxEntries max entries} are held, expired records are purged
 * first, then the completed record closest to expiry is evicted. Records in flight are
 * never evicted; a claim that finds only those is refused with an
 * {@link IdempotencyStoreException}.
 *
 * <p>
 * A {@link CacheLayer} too, mostly for tests of the two-layer store.
 */
public class InMemoryIdempotencyStore implements CacheLayer {

	/** Default bound on the number of records held. */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final Clock clock;

	private int maxEntries = DEFAULT_MAX_ENTRIES;

	public InMemoryIdempotencyStore() {
		this(Clock.systemUTC());
	}

	public InMemoryIdempotencyStore(Clock clock) {
		this.clock = clock;
	}

	public void setMaxEntries(int maxEntries) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be positive");
		}
		this.maxEntries = maxEntries;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		makeRoom();
		Instant now = clock.instant();
		AtomicReference<ClaimResult> result = new AtomicReference<>();
		entries.compute(key.encoded(), (id, existing) -> {
			if (existing == null || existing.isExpired(now)) {
				String token = LockTokens.newToken();
				result.set(new ClaimResult.Acquired(token));
				return new Entry(fingerprint, token, null, now.plus(lockTimeout));
			}
			result.set(existing.answer(fingerprint, now));
			return existing;
		});
		return result.get();
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		Instant now = clock.instant();
		return replaceIfOwned(key, lockToken, now,
				(owned) -> new Entry(owned.fingerprint, null, response, now.plus(retention)));
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return replaceIfOwned(key, lockToken, clock.instant(), (owned) -> null);
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		makeRoom();
		entries.put(key.encoded(), new Entry(fingerprint, null, response, clock.instant().plus(retention)));
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		entries.computeIfPresent(key.encoded(), (id, existing) -> (existing.response != null) ? existing : null);
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		Entry entry = entries.get(key.encoded());
		if (entry == null || entry.isExpired(clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(new IdempotencyRecord(entry.fingerprint, entry.response));
	}

	/**
	 * The number of records held, expired ones included until they are purged.
	 * @return the number of records
	 */
	public int size() {
		return entries.size();
	}

	private boolean replaceIfOwned(IdempotencyKey key, String lockToken, Instant now,
			java.util.function.Function<Entry, @Nullable Entry> replacement) {
		boolean[] owned = { false };
		entries.computeIfPresent(key.encoded(), (id, existing) -> {
			if (!existing.isOwnedBy(lockToken, now)) {
				return existing;
			}
			owned[0] = true;
			return replacement.apply(existing);
		});
		return owned[0];
	}

	private void makeRoom() {
		if (entries.size() < maxEntries) {
			return;
		}
		Instant now = clock.instant();
		entries.values().removeIf((entry) -> entry.isExpired(now));
		while (entries.size() >= maxEntries) {
			Map.Entry<String, Entry> soonest = entries.entrySet()
				.stream()
				.filter((candidate) -> candidate.getValue().response != null)
				.min(Comparator.comparing((candidate) -> candidate.getValue().expiresAt))
				.orElseThrow(() -> new IdempotencyStoreException(
						"In-memory idempotency store is full of requests in flight (" + maxEntries + ")"));
			entries.remove(soonest.getKey(), soonest.getValue());
		}
	}

	private record Entry(String fingerprint, @Nullable String lockToken, @Nullable StoredResponse response,
			Instant expiresAt) {

		boolean isExpired(Instant now) {
			return !now.isBefore(expiresAt);
		}

		boolean isOwnedBy(String token, Instant now) {
			return response == null && token.equals(lockToken) && !isExpired(now);
		}

		ClaimResult answer(String requestFingerprint, Instant now) {
			if (!fingerprint.equals(requestFingerprint)) {
				return new ClaimResult.Mismatch();
			}
			if (response != null) {
				return new ClaimResult.Completed(response);
			}
			return new ClaimResult.InFlight(Duration.between(now, expiresAt));
		}

	}

}
