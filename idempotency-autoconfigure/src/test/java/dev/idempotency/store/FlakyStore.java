package dev.idempotency.store;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;

/**
 * A store layer for tests of the two-layer rules: counts its calls, can be taken down,
 * and can lose everything it holds (a Redis restart).
 */
class FlakyStore implements IdempotencyStore {

	final AtomicInteger calls = new AtomicInteger();

	private volatile IdempotencyStore delegate = new InMemoryIdempotencyStore();

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
