package dev.idempotency.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.log.OperationLog;
import org.jspecify.annotations.Nullable;

/**
 * A fast cache layer (Redis) in front of a durable authority (a database). <strong>The
 * cache may refuse; only the authority may grant.</strong>
 * <ul>
 * <li>The cache answers completed (replay) and in flight (409) at once, so replays and
 * retry storms stay off the database.</li>
 * <li>A cache claim that wins is never enough: the authority's claim decides. When the
 * authority knew an answer the cache lacked (Redis restarted, evicted, failed over), the
 * answer is written back to the cache. A cache mismatch (422) is confirmed by the
 * authority, unless the authority fails.</li>
 * <li>Completion writes the authority first (the source of truth), then puts the response
 * in the cache over whatever marker it holds; when the authority fails, the cache still
 * keeps the response so that retries replay it.</li>
 * <li>When the cache fails, requests go on with the authority alone, and a breaker stops
 * calling the cache for a while; when the authority fails, the claim fails (the web layer
 * answers 503): nothing runs that nothing durable granted.</li>
 * </ul>
 * <strong>The bound on stale cache answers.</strong> Writes to the cache are best-effort:
 * skipped while the breaker is open, and a claim that timed out in the client may still
 * run in Redis later. So in-flight markers in the cache live at most the
 * {@link #setCacheLockTimeout cache lock timeout} (default 2 s), whatever the lock
 * timeout: a 409 answered by the cache alone rests on a marker the cache wrote at most
 * that long before, and contradicts the authority at most that long after the cache has
 * run the key's last claim. A 422 rests on the cache alone only while the authority is
 * down, and a retry of a completed request replays once the bound has passed at the
 * latest. When the authority still has the key in flight, the marker of the claim that
 * found it so is kept, so a retry storm on a long request reaches the authority about
 * once per bound.
 * <p>
 * Both layers are {@link IdempotencyStore}s; the lock token returned holds the tokens of
 * both and the request's fingerprint, the fencing token is the authority's. Renewing a
 * lock renews it in the authority alone. Evicting a key removes it from the authority,
 * then from the cache (best-effort: while the cache is failing, a completed response it
 * holds may still be replayed until its retention ends).
 */
public class TwoLayerIdempotencyStore implements IdempotencyStore, DegradableStore {

	/** Default pause before a failed cache is tried again. */
	public static final Duration DEFAULT_CACHE_RETRY_INTERVAL = Duration.ofSeconds(5);

	/** Default retention of responses written back to the cache. */
	public static final Duration DEFAULT_BACKFILL_RETENTION = Duration.ofHours(1);

	/** Default longest life of an in-flight marker in the cache. */
	public static final Duration DEFAULT_CACHE_LOCK_TIMEOUT = Duration.ofSeconds(2);

	private static final OperationLog operationLog = new OperationLog(TwoLayerIdempotencyStore.class);

	private final CacheLayer cache;

	private final IdempotencyStore authority;

	private LayerBreaker breaker = new LayerBreaker(DEFAULT_CACHE_RETRY_INTERVAL);

	private Duration backfillRetention = DEFAULT_BACKFILL_RETENTION;

	private Duration cacheLockTimeout = DEFAULT_CACHE_LOCK_TIMEOUT;

	private IdempotencyListener listener = IdempotencyListener.NONE;

	private StoreLayer cacheLayer = StoreLayer.REDIS;

	/** Whether the authority's writes commit with the caller's transaction. */
	private boolean authorityJoinsTransactions;

	/**
	 * Creates a store.
	 * @param cache the fast layer that may refuse (Redis)
	 * @param authority the durable layer that alone grants (a database)
	 */
	public TwoLayerIdempotencyStore(CacheLayer cache, IdempotencyStore authority) {
		this.cache = cache;
		this.authority = authority;
	}

	public void setCacheRetryInterval(Duration interval) {
		this.breaker = new LayerBreaker(interval);
	}

	/**
	 * How long a response written back to the cache is kept there. The authority's
	 * remaining retention is not known; a completed response never changes, so replaying
	 * it from the cache a little longer is harmless.
	 * @param backfillRetention the retention of written-back responses
	 */
	public void setBackfillRetention(Duration backfillRetention) {
		this.backfillRetention = backfillRetention;
	}

	/**
	 * The longest an in-flight marker lives in the cache (the lock timeout when that is
	 * shorter): the bound on how long a 409 from the cache may contradict the authority.
	 * Shorter means fresher answers, and retries of a long request reaching the authority
	 * more often (about once per this interval and key).
	 * @param cacheLockTimeout the bound, positive
	 */
	public void setCacheLockTimeout(Duration cacheLockTimeout) {
		if (cacheLockTimeout.isNegative() || cacheLockTimeout.isZero()) {
			throw new IllegalArgumentException("cacheLockTimeout must be positive");
		}
		this.cacheLockTimeout = cacheLockTimeout;
	}

	public void setListener(IdempotencyListener listener) {
		this.listener = listener;
	}

	/**
	 * Names the cache layer in listener events ({@link StoreLayer#REDIS} by default).
	 * @param cacheLayer the layer
	 */
	public void setCacheLayer(StoreLayer cacheLayer) {
		this.cacheLayer = cacheLayer;
	}

	/**
	 * Whether the cache layer is being bypassed after a failure.
	 * @return {@code true} while degraded to the authority alone
	 */
	@Override
	public boolean isDegraded() {
		return breaker.isOpen();
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		Duration cacheLock = (lockTimeout.compareTo(cacheLockTimeout) < 0) ? lockTimeout : cacheLockTimeout;
		ClaimResult cached = onCache(() -> cache.claim(key, fingerprint, cacheLock));
		if (cached instanceof ClaimResult.Completed || cached instanceof ClaimResult.InFlight) {
			return cached;
		}
		String cacheToken = (cached instanceof ClaimResult.Acquired acquired) ? acquired.lockToken() : null;
		ClaimResult decided;
		try {
			decided = authority.claim(key, fingerprint, lockTimeout);
		}
		catch (IdempotencyStoreException ex) {
			if (cached instanceof ClaimResult.Mismatch) {
				return cached;
			}
			releaseOnCache(key, cacheToken);
			throw ex;
		}
		catch (RuntimeException ex) {
			releaseOnCache(key, cacheToken);
			throw ex;
		}
		if (decided instanceof ClaimResult.Acquired acquired) {
			return new ClaimResult.Acquired(LayerTokens.join(acquired.lockToken(), fingerprint, cacheToken),
					acquired.fencingToken());
		}
		if (decided instanceof ClaimResult.Completed completed) {
			backfill(key, fingerprint, completed.response());
		}
		else if (decided instanceof ClaimResult.Mismatch) {
			releaseOnCache(key, cacheToken);
		}
		// In flight: our fresh marker stays, so that retries of a long request reach the
		// authority about once per cache lock timeout; the owner's completion replaces
		// it.
		return decided;
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		LayerTokens tokens = LayerTokens.split(lockToken);
		boolean stored;
		try {
			stored = authority.complete(key, tokens.authority(), response, retention);
		}
		catch (RuntimeException ex) {
			// The operation ran but its record did not reach the authority: the cache can
			// still refuse retries with the response, rather than let one run it again
			// once the authority's lock expires. Not in a transaction, which rolls the
			// operation back.
			if (!authorityJoinsTransactions) {
				putOnCache(key, tokens.fingerprint(), response, retention);
			}
			throw ex;
		}
		if (stored) {
			AfterCommit.run(authorityJoinsTransactions,
					() -> putOnCache(key, tokens.fingerprint(), response, retention));
		}
		return stored;
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		LayerTokens tokens = LayerTokens.split(lockToken);
		boolean released = authority.release(key, tokens.authority());
		if (released) {
			// The marker may be a retry's rather than ours: none may outlive the release.
			onCache(() -> {
				cache.evictInFlight(key);
				return true;
			});
		}
		else {
			releaseOnCache(key, tokens.cache());
		}
		return released;
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		// The authority decides. The cache's in-flight markers need no renewal: they live
		// at most the cache lock timeout anyway, and once one expires the next claim asks
		// the authority, which answers in flight while the renewed lock holds.
		return authority.renew(key, LayerTokens.split(lockToken).authority(), lockTimeout);
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		boolean evicted = authority.evict(key);
		Boolean cached = onCache(() -> cache.evict(key));
		return evicted || Boolean.TRUE.equals(cached);
	}

	/**
	 * The record that answers the key's claims: the cache's when it holds the response,
	 * else the authority's. When both hold the response, the authority's, which tells
	 * when the key was acquired and its fencing token (the cache, given the response by
	 * the authority, cannot); the cache's alone when the authority has not got it (it
	 * failed to store it) or fails to answer.
	 */
	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		Optional<IdempotencyRecord> cached = onCache(() -> cache.find(key));
		if (cached == null || cached.filter(IdempotencyRecord::isCompleted).isEmpty()) {
			return authority.find(key);
		}
		try {
			Optional<IdempotencyRecord> authoritative = authority.find(key);
			return authoritative.filter(IdempotencyRecord::isCompleted).isPresent() ? authoritative : cached;
		}
		catch (IdempotencyStoreException ex) {
			return cached;
		}
	}

	/**
	 * The same cache in front of the authority's view that joins the caller's
	 * transaction: responses reach the cache only once that transaction has committed, so
	 * the cache never replays what a rollback undid. Shares this store's breaker.
	 */
	@Override
	public Optional<IdempotencyStore> joiningTransactions() {
		return authority.joiningTransactions().map((joining) -> {
			TwoLayerIdempotencyStore view = new TwoLayerIdempotencyStore(cache, joining);
			view.breaker = breaker;
			view.backfillRetention = backfillRetention;
			view.cacheLockTimeout = cacheLockTimeout;
			view.listener = listener;
			view.cacheLayer = cacheLayer;
			view.authorityJoinsTransactions = true;
			return view;
		});
	}

	private void backfill(IdempotencyKey key, String fingerprint, StoredResponse response) {
		if (putOnCache(key, fingerprint, response, backfillRetention)) {
			listener.onBackfill(cacheLayer);
		}
	}

	private boolean putOnCache(IdempotencyKey key, @Nullable String fingerprint, StoredResponse response,
			Duration retention) {
		if (fingerprint == null) {
			return false;
		}
		Boolean put = onCache(() -> {
			cache.putCompleted(key, fingerprint, response, retention);
			return true;
		});
		return put != null;
	}

	private void releaseOnCache(IdempotencyKey key, @Nullable String cacheToken) {
		if (cacheToken != null) {
			onCache(() -> cache.release(key, cacheToken));
		}
	}

	/** Calls the cache unless its breaker is open; a failure opens it and yields null. */
	private <T> @Nullable T onCache(Supplier<T> call) {
		if (!breaker.allowsCall()) {
			listener.onFallback(cacheLayer);
			return null;
		}
		try {
			T result = call.get();
			breaker.recordSuccess();
			return result;
		}
		catch (IdempotencyStoreException ex) {
			if (!breaker.isOpen()) {
				operationLog.warn("degraded", "*", null, "Idempotency cache layer '"
						+ cacheLayer.name().toLowerCase(Locale.ROOT) + "' failed; going on with the authority alone",
						ex);
			}
			breaker.recordFailure();
			listener.onFallback(cacheLayer);
			return null;
		}
	}

	@Override
	public String toString() {
		return "TwoLayerIdempotencyStore[" + cache + " before " + authority + "]";
	}

}
