package dev.idempotency.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A fast cache layer (Redis) in front of a durable authority (a database). <strong>The
 * cache may refuse; only the authority may grant.</strong>
 * <ul>
 * <li>The cache answers completed (replay) and in flight (409) at once, so replays and
 * retry storms never reach the database.</li>
 * <li>A cache claim that wins is never enough: the authority's claim decides. When the
 * authority knew an answer the cache lacked (Redis restarted, evicted, failed over), the
 * answer is written back to the cache.</li>
 * <li>Completion writes the authority first (the source of truth), then the cache; when
 * the authority fails, the cache still keeps the response so that retries replay it.</li>
 * <li>When the cache fails, requests go on with the authority alone, and a breaker stops
 * calling the cache for a while; when the authority fails, the claim fails (the web layer
 * answers 503): nothing runs that nothing durable granted.</li>
 * </ul>
 * Both layers are {@link IdempotencyStore}s; the lock token returned holds the tokens of
 * both.
 */
public class TwoLayerIdempotencyStore implements IdempotencyStore {

	/** Default pause before a failed cache is tried again. */
	public static final Duration DEFAULT_CACHE_RETRY_INTERVAL = Duration.ofSeconds(5);

	/** Default retention of responses written back to the cache. */
	public static final Duration DEFAULT_BACKFILL_RETENTION = Duration.ofHours(1);

	private static final Log logger = LogFactory.getLog(TwoLayerIdempotencyStore.class);

	private final IdempotencyStore cache;

	private final IdempotencyStore authority;

	private LayerBreaker breaker = new LayerBreaker(DEFAULT_CACHE_RETRY_INTERVAL);

	private Duration backfillRetention = DEFAULT_BACKFILL_RETENTION;

	private IdempotencyListener listener = IdempotencyListener.NONE;

	private String cacheName = "redis";

	/**
	 * Creates a store.
	 * @param cache the fast layer that may refuse (Redis)
	 * @param authority the durable layer that alone grants (a database)
	 */
	public TwoLayerIdempotencyStore(IdempotencyStore cache, IdempotencyStore authority) {
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

	public void setListener(IdempotencyListener listener) {
		this.listener = listener;
	}

	/**
	 * Names the cache layer in listener events ({@code redis} by default).
	 * @param cacheName the name
	 */
	public void setCacheName(String cacheName) {
		this.cacheName = cacheName;
	}

	/**
	 * Whether the cache layer is being bypassed after a failure.
	 * @return {@code true} while degraded to the authority alone
	 */
	public boolean isDegraded() {
		return breaker.isOpen();
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		ClaimResult cached = onCache(() -> cache.claim(key, fingerprint, lockTimeout));
		if (cached != null && !(cached instanceof ClaimResult.Acquired)) {
			return cached;
		}
		String cacheToken = (cached != null) ? ((ClaimResult.Acquired) cached).lockToken() : null;
		ClaimResult decided;
		try {
			decided = authority.claim(key, fingerprint, lockTimeout);
		}
		catch (RuntimeException ex) {
			releaseOnCache(key, cacheToken);
			throw ex;
		}
		if (decided instanceof ClaimResult.Acquired acquired) {
			return new ClaimResult.Acquired(LayerTokens.join(acquired.lockToken(), cacheToken));
		}
		if (decided instanceof ClaimResult.Completed completed && cacheToken != null) {
			backfill(key, cacheToken, completed.response());
		}
		else {
			// The cache must not hold our marker for a claim the authority refused: the
			// real owner could not complete it there, and a stale 409 would outlive it.
			releaseOnCache(key, cacheToken);
		}
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
			// once the authority's lock expires.
			completeOnCache(key, tokens.cache(), response, retention);
			throw ex;
		}
		if (stored) {
			completeOnCache(key, tokens.cache(), response, retention);
		}
		return stored;
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		LayerTokens tokens = LayerTokens.split(lockToken);
		boolean released = authority.release(key, tokens.authority());
		releaseOnCache(key, tokens.cache());
		return released;
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		Optional<IdempotencyRecord> cached = onCache(() -> cache.find(key));
		if (cached != null && cached.filter(IdempotencyRecord::isCompleted).isPresent()) {
			return cached;
		}
		return authority.find(key);
	}

	private void backfill(IdempotencyKey key, String cacheToken, StoredResponse response) {
		Boolean written = onCache(() -> cache.complete(key, cacheToken, response, backfillRetention));
		if (Boolean.TRUE.equals(written)) {
			listener.onBackfill(cacheName);
		}
	}

	private void completeOnCache(IdempotencyKey key, @Nullable String cacheToken, StoredResponse response,
			Duration retention) {
		if (cacheToken != null) {
			onCache(() -> cache.complete(key, cacheToken, response, retention));
		}
	}

	private void releaseOnCache(IdempotencyKey key, @Nullable String cacheToken) {
		if (cacheToken != null) {
			onCache(() -> cache.release(key, cacheToken));
		}
	}

	/** Calls the cache unless its breaker is open; a failure opens it and yields null. */
	private <T> @Nullable T onCache(Supplier<T> call) {
		if (!breaker.allowsCall()) {
			listener.onFallback(cacheName);
			return null;
		}
		try {
			T result = call.get();
			breaker.recordSuccess();
			return result;
		}
		catch (IdempotencyStoreException ex) {
			if (!breaker.isOpen()) {
				logger.warn("Idempotency cache layer '" + cacheName + "' failed; going on with the authority alone",
						ex);
			}
			breaker.recordFailure();
			listener.onFallback(cacheName);
			return null;
		}
	}

	@Override
	public String toString() {
		return "TwoLayerIdempotencyStore[" + cache + " before " + authority + "]";
	}

	/** The two layers' lock tokens in one string, length-prefixed so neither can leak. */
	record LayerTokens(String authority, @Nullable String cache) {

		static String join(String authority, @Nullable String cache) {
			return authority.length() + ":" + authority + ((cache != null) ? cache : "");
		}

		/**
		 * Splits a joined token; a token we never issued owns nothing in either layer.
		 */
		static LayerTokens split(String token) {
			int colon = token.indexOf(':');
			try {
				int end = colon + 1 + Integer.parseInt(token.substring(0, colon));
				String cache = token.substring(end);
				return new LayerTokens(token.substring(colon + 1, end), cache.isEmpty() ? null : cache);
			}
			catch (IndexOutOfBoundsException | NumberFormatException ex) {
				return new LayerTokens(token, null);
			}
		}

	}

}
