package dev.idempotency.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;

/**
 * A store layer for tests of the two-layer rules: counts its calls, can be taken down,
 * and can lose everything it holds (a Redis restart).
 */
class FlakyStore implements CacheLayer {

	final AtomicInteger calls = new AtomicInteger();

	private volatile CacheLayer delegate = new InMemoryIdempotencyStore();

	private volatile boolean down;

	void loseEverything() {
		delegate = new InMemoryIdempotencyStore();
	}

	void setDown(boolean down) {
		this.down = down;
	}

	@Override
	public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
		return call(() -> delegate.claim(key, fingerprint, lockTimeout));
	}

	@Override
	public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention) {
		return call(() -> delegate.complete(key, lockToken, response, retention));
	}

	@Override
	public boolean release(IdempotencyKey key, String lockToken) {
		return call(() -> delegate.release(key, lockToken));
	}

	@Override
	public boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		return call(() -> delegate.renew(key, lockToken, lockTimeout));
	}

	@Override
	public boolean evict(IdempotencyKey key) {
		return call(() -> delegate.evict(key));
	}

	@Override
	public void putCompleted(IdempotencyKey key, String fingerprint, StoredResponse response, Duration retention) {
		call(() -> {
			delegate.putCompleted(key, fingerprint, response, retention);
			return true;
		});
	}

	@Override
	public void evictInFlight(IdempotencyKey key) {
		call(() -> {
			delegate.evictInFlight(key);
			return true;
		});
	}

	@Override
	public Optional<IdempotencyRecord> find(IdempotencyKey key) {
		return call(() -> delegate.find(key));
	}

	private <T> T call(Supplier<T> call) {
		calls.incrementAndGet();
		if (down) {
			throw new IdempotencyStoreException("layer is down");
		}
		return call.get();
	}

}
