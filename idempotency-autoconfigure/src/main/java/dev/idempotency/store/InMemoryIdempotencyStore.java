package dev.idempotency.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

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
 * Bounded to about {@link #setMaxEntries max entries} records. Every record is also filed
 * by its expiry in a sorted set, and each claim purges at most {@value #PURGE_BATCH}
 * expired records from its head: eviction costs O(log n) per record, never a scan. A live
 * record (completed and retained, or in flight with its lock unexpired) is never evicted:
 * evicting it would let its client's retry run the operation again. When the store is
 * full of live records, claims of new keys are refused with an
 * {@link IdempotencyStoreException} (the web layer answers {@code 503}), while claims of
 * keys it holds are still answered.
 *
 * <p>
 * Fencing tokens are the clock in microseconds, raised above the last token this store
 * issued for any key: strictly increasing per key even after a record is deleted, and
 * whatever the clock does.
 *
 * <p>
 * A {@link CacheLayer} too, mostly for tests of the two-layer store.
 */
public class InMemoryIdempotencyStore implements CacheLayer {

	/** Default bound on the number of records held. */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	/** Most expired records one claim purges, so that no claim pays for a backlog. */
	static final int PURGE_BATCH = 64;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final NavigableSet<Expiry> expiries = new ConcurrentSkipListSet<>();

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicLong lastFencingToken = new AtomicLong();

	private final Clock clock;

	private int maxEntries = DEFAULT_MAX_ENTRIES;

	public InMemoryIdempotencyStore() {
		this(Clock.systemUTC());
	}

	public InMemoryIdempotencyStore(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Sets the bound on the number of records (default {@value #DEFAULT_MAX_ENTRIES}).
	 * Concurrent claims may exceed it by a few.
	 * @param maxEntries the bound
	 */
	public void setMaxEntries(int maxEntries) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be positive");
		}
		this.maxEntries = maxEntries;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		Instant now = clock.instant();
		purgeExpired(now);
		AtomicReference<@Nullable ClaimResult> result = new AtomicReference<>();
		entries.compute(key.encoded(), (id, existing) -> {
			if (existing == null && entries.size() >= maxEntries) {
				return null;
			}
			if (existing == null || existing.isExpired(now)) {
				String token = LockTokens.newToken();
				long fencingToken = nextFencingToken(now);
				result.set(new ClaimResult.Acquired(token, fencingToken));
				return replace(id, existing,
						new Entry(fingerprint, token, null, now.plus(lockTimeout), nextSequence(), now, fencingToken));
			}
			result.set(existing.answer(fingerprint, now));
			return existing;
		});
		ClaimResult answer = result.get();
		if (answer == null) {
			throw new IdempotencyStoreException("In-memory idempotency store is full: " + maxEntries
					+ " records are live (idempotency.in-memory.max-entries); new keys are refused until some expire");
		}
		return answer;
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		Instant now = clock.instant();
		return replaceIfOwned(key, lockToken, now, (owned) -> new Entry(owned.fingerprint, null, response,
				now.plus(retention), nextSequence(), owned.createdAt, owned.fencingToken));
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return replaceIfOwned(key, lockToken, clock.instant(), (owned) -> null);
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		Instant now = clock.instant();
		return replaceIfOwned(key, lockToken, now, (owned) -> new Entry(owned.fingerprint, lockToken, null,
				now.plus(lockTimeout), nextSequence(), owned.createdAt, owned.fencingToken));
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		Instant now = clock.instant();
		purgeExpired(now);
		// A cache: when full, a new key is simply not kept. It was not acquired here, so
		// its creation and fencing token are unknown.
		entries.compute(key.encoded(),
				(id, existing) -> (existing == null && entries.size() >= maxEntries) ? null : replace(id, existing,
						new Entry(fingerprint, null, response, now.plus(retention), nextSequence(), null, null)));
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		entries.computeIfPresent(key.encoded(),
				(id, existing) -> (existing.response != null) ? existing : replace(id, existing, null));
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		Instant now = clock.instant();
		boolean[] evicted = { false };
		entries.computeIfPresent(key.encoded(), (id, existing) -> {
			evicted[0] = !existing.isExpired(now);
			return replace(id, existing, null);
		});
		return evicted[0];
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		Entry entry = entries.get(key.encoded());
		if (entry == null || entry.isExpired(clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(new IdempotencyRecord(entry.fingerprint, entry.response, entry.createdAt, entry.expiresAt,
				entry.fencingToken));
	}

	/**
	 * The number of records held, expired ones included until they are purged.
	 * @return the number of records
	 */
	public int size() {
		return entries.size();
	}

	/** One per record held: records replaced or released leave nothing behind. */
	int scheduledExpiries() {
		return expiries.size();
	}

	private boolean replaceIfOwned(IdempotencyKey key, String lockToken, Instant now,
			Function<Entry, @Nullable Entry> replacement) {
		boolean[] owned = { false };
		entries.computeIfPresent(key.encoded(), (id, existing) -> {
			if (!existing.isOwnedBy(lockToken, now)) {
				return existing;
			}
			owned[0] = true;
			return replace(id, existing, replacement.apply(existing));
		});
		return owned[0];
	}

	/** Keeps the expiry index in step with the map; runs under the key's bin lock. */
	private @Nullable Entry replace(String id, @Nullable Entry old, @Nullable Entry replacement) {
		if (old != null) {
			expiries.remove(new Expiry(old.expiresAt, old.sequence, id));
		}
		if (replacement != null) {
			expiries.add(new Expiry(replacement.expiresAt, replacement.sequence, id));
		}
		return replacement;
	}

	private void purgeExpired(Instant now) {
		for (int purged = 0; purged < PURGE_BATCH; purged++) {
			Expiry soonest = first();
			if (soonest == null || now.isBefore(soonest.expiresAt)) {
				return;
			}
			// The entry may have been replaced since: remove only the one filed here.
			entries.computeIfPresent(soonest.id,
					(id, entry) -> (entry.sequence == soonest.sequence) ? replace(id, entry, null) : entry);
			expiries.remove(soonest);
		}
	}

	private @Nullable Expiry first() {
		return expiries.ceiling(Expiry.FIRST);
	}

	private long nextFencingToken(Instant now) {
		long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
		return lastFencingToken.accumulateAndGet(micros, (last, clock) -> Math.max(last + 1, clock));
	}

	private long nextSequence() {
		return sequence.incrementAndGet();
	}

	private record Entry(String fingerprint, @Nullable String lockToken, @Nullable StoredResponse response,
			Instant expiresAt, long sequence, @Nullable Instant createdAt, @Nullable Long fencingToken) {

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
				return new ClaimResult.Completed(response, Duration.between(now, expiresAt));
			}
			return new ClaimResult.InFlight(Duration.between(now, expiresAt));
		}

	}

	/**
	 * A record's place in expiry order; the sequence tells records of one instant apart.
	 */
	private record Expiry(Instant expiresAt, long sequence, String id) implements Comparable<Expiry> {

		static final Expiry FIRST = new Expiry(Instant.MIN, Long.MIN_VALUE, "");

		private static final Comparator<Expiry> ORDER = Comparator.comparing(Expiry::expiresAt)
			.thenComparingLong(Expiry::sequence);

		@Override
		public int compareTo(Expiry other) {
			return ORDER.compare(this, other);
		}

	}

}
