package dev.idempotency.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyListener.StoreOperation;
import dev.idempotency.IdempotencyListener.StoreResult;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * A bounded cache of completed responses in this JVM, in front of a shared store (Redis,
 * a database, two layers), so that replays need no round trip. A completed record never
 * changes (only an operator's {@link #evict eviction} or the end of its retention removes
 * it), so the cache may replay it; <strong>it only ever answers
 * {@link ClaimResult.Completed}</strong>: never a grant, a {@code 409} or a {@code 422}.
 * <ul>
 * <li>{@link #claim} looks the key up first: an unexpired entry kept for the same
 * fingerprint is replayed without calling the store. Anything else (no entry, another
 * fingerprint) goes to the store, which decides; a completed answer from it is kept (in
 * the {@link #joiningTransactions() view that joins transactions}, an answer for a key
 * whose response that transaction wrote itself only once it has committed; any other
 * answer was committed by someone else, and is kept even if the reading transaction then
 * rolls back, as a replay's does).</li>
 * <li>{@link #complete} does not fill the cache: most operations are never retried, so
 * copying every completion in would cost each new key a put (and, once full, sweeps) for
 * nothing. The first retry reads the response from the store and keeps it; later retries
 * (a client's backoff loop, a storm of duplicates) are answered here.</li>
 * <li>{@link #evict} removes the entry here and the record in the store. {@link #find},
 * {@link #complete}, {@link #release} and {@link #renew} go to the store.</li>
 * </ul>
 * <strong>How stale it can be.</strong> An entry lives at most the {@link #setTimeToLive
 * time to live} (default 10 s) from the replay that kept it, and never past the retention
 * the store reported with it ({@link ClaimResult.Completed#retainedFor()}; the shipped
 * stores report it, for a store that does not the time to live alone bounds it). After an
 * operator evicted a key, other instances (and, in a narrow race with a concurrent claim,
 * this one) may still replay its response that long. A completed response never changes,
 * so such a replay is the answer the client got before.
 * <p>
 * Bounded by {@link #setMaxEntries entries}, by the {@link #setMaxTotalSize body bytes}
 * of all entries and by the {@link #setMaxResponseSize size of one body} (larger ones are
 * not kept). Thread-safe; a hit takes no lock and allocates nothing of its own. Claims
 * are reported to the listener as {@link StoreLayer#NEAR_CACHE} calls:
 * {@link StoreResult#COMPLETED} for a hit, {@link StoreResult#ABSENT} for a miss.
 */
public class NearCachedIdempotencyStore implements IdempotencyStore, DegradableStore {

	/** Default bound on the number of entries. */
	public static final int DEFAULT_MAX_ENTRIES = 10_000;

	/** Default bound on the body bytes of all entries together (16 MiB). */
	public static final long DEFAULT_MAX_TOTAL_SIZE = 16L * 1024 * 1024;

	/** Default largest body kept (64 KiB). */
	public static final int DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024;

	/** Default longest life of an entry. */
	public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofSeconds(10);

	private final IdempotencyStore delegate;

	private final CompletedResponses responses;

	private final Settings settings;

	/** Whether the delegate's writes commit with the caller's transaction. */
	private final boolean joinsTransactions;

	/**
	 * Creates a near cache in front of the store, with the default bounds.
	 * @param delegate the shared store
	 */
	public NearCachedIdempotencyStore(IdempotencyStore delegate) {
		this(delegate, System::nanoTime);
	}

	NearCachedIdempotencyStore(IdempotencyStore delegate, LongSupplier nanoClock) {
		this(delegate, new CompletedResponses(nanoClock, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_SIZE,
				DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIME_TO_LIVE), new Settings(), false);
	}

	private NearCachedIdempotencyStore(IdempotencyStore delegate, CompletedResponses responses, Settings settings,
			boolean joinsTransactions) {
		this.delegate = delegate;
		this.responses = responses;
		this.settings = settings;
		this.joinsTransactions = joinsTransactions;
	}

	/**
	 * Sets the bound on the number of entries (default {@value #DEFAULT_MAX_ENTRIES}).
	 * @param maxEntries the bound, positive
	 */
	public void setMaxEntries(int maxEntries) {
		responses.setMaxEntries(maxEntries);
	}

	/**
	 * Sets the bound on the body bytes of all entries together (default 16 MiB).
	 * @param maxTotalSize the bound in bytes, positive
	 */
	public void setMaxTotalSize(long maxTotalSize) {
		responses.setMaxTotalSize(maxTotalSize);
	}

	/**
	 * Sets the largest body kept (default 64 KiB); responses with larger bodies are
	 * replayed from the store.
	 * @param maxResponseSize the size in bytes
	 */
	public void setMaxResponseSize(int maxResponseSize) {
		responses.setMaxResponseSize(maxResponseSize);
	}

	/**
	 * Sets the longest life of an entry (default 10 s): the bound on how long a response
	 * may still be replayed here after it was evicted from the store by another instance.
	 * @param timeToLive the time to live, positive
	 */
	public void setTimeToLive(Duration timeToLive) {
		responses.setTimeToLive(timeToLive);
	}

	public void setListener(IdempotencyListener listener) {
		settings.listener = listener;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		ClaimResult.Completed hit = lookUp(key, fingerprint, true);
		if (hit != null) {
			return hit;
		}
		ClaimResult result = delegate.claim(key, fingerprint, lockTimeout);
		if (result instanceof ClaimResult.Completed completed) {
			// Read in a transaction that wrote this key's response itself: a rollback may
			// still undo it. Any other answer was committed by someone else.
			boolean undoable = joinsTransactions && KeysWrittenInTransaction.contains(key.digest());
			AfterCommit.run(undoable, () -> responses.put(key.digest(), fingerprint, completed));
		}
		return result;
	}

	/**
	 * A hit, reported as the claim it answers; a miss is left for the claim to report.
	 */
	@Override
	public Optional<ClaimResult.Completed> replayFromMemory(IdempotencyKey key, String fingerprint) {
		return Optional.ofNullable(lookUp(key, fingerprint, false));
	}

	private ClaimResult.@Nullable Completed lookUp(IdempotencyKey key, String fingerprint, boolean reportMiss) {
		long start = System.nanoTime();
		ClaimResult.Completed hit = responses.get(key.digest(), fingerprint);
		if (hit != null || reportMiss) {
			settings.listener.onStoreOperation(StoreLayer.NEAR_CACHE, StoreOperation.CLAIM,
					(hit != null) ? StoreResult.COMPLETED : StoreResult.ABSENT, System.nanoTime() - start);
		}
		return hit;
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		boolean stored = delegate.complete(key, lockToken, response, retention);
		if (stored && joinsTransactions) {
			KeysWrittenInTransaction.add(key.digest());
		}
		return stored;
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return delegate.release(key, lockToken);
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		return delegate.renew(key, lockToken, lockTimeout);
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		boolean cached = responses.remove(key.digest());
		boolean evicted = delegate.evict(key);
		// Again: a claim that read the record before the store evicted it may have kept
		// it meanwhile.
		cached |= responses.remove(key.digest());
		return evicted || cached;
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return delegate.find(key);
	}

	/**
	 * The same cache in front of the store's view that joins the caller's transaction: it
	 * replays as this store does, and keeps an answer for a key whose response the
	 * transaction wrote only once the transaction has committed.
	 */
	@Override
	public Optional<IdempotencyStore> joiningTransactions() {
		return delegate.joiningTransactions()
			.map((joining) -> new NearCachedIdempotencyStore(joining, responses, settings, true));
	}

	/**
	 * Whether the store behind the cache is degraded.
	 * @return what the delegate says, if it is a {@link DegradableStore}
	 */
	@Override
	public boolean isDegraded() {
		return delegate instanceof DegradableStore degradable && degradable.isDegraded();
	}

	/**
	 * How many entries the cache holds, expired ones not yet removed included.
	 * @return the number of entries
	 */
	public int size() {
		return responses.size();
	}

	@Override
	public String toString() {
		return "near-cache(" + responses.maxEntries() + " entries, " + responses.timeToLive() + "):" + delegate;
	}

	/** What the store and its view that joins transactions share besides the cache. */
	private static final class Settings {

		private volatile IdempotencyListener listener = IdempotencyListener.NONE;

	}

}
