package dev.idempotency;

import java.time.Duration;
import java.util.Optional;

/**
 * Where idempotency keys are claimed and responses kept. The SPI every store implements.
 *
 * <p>
 * A key lives through two clocks: a short <em>lock timeout</em> while its first request
 * runs (a crashed request frees the key after it) and a long <em>retention</em> once the
 * response is stored. {@link #complete} and {@link #release} act only while the caller's
 * lock token still owns the key (fencing): a request whose lock expired and was taken
 * over cannot overwrite or free the new owner's claim. A request that runs longer than
 * its lock timeout keeps the key by {@link #renew renewing} its lock (a lease), and uses
 * {@link ClaimResult.Acquired#fencingToken()} to fence off its own stale writes
 * elsewhere.
 *
 * <p>
 * Implementations are thread-safe, and {@link #claim} is atomic across every process that
 * shares the store: of any number of concurrent claims of a free key, exactly one is
 * {@link ClaimResult.Acquired}. They throw {@link IdempotencyStoreException} when their
 * backend fails; they never block without a bound.
 */
public interface IdempotencyStore {

	/**
	 * Claims the key for a request with the given fingerprint, or reports who has it. A
	 * key that is free, expired, or whose lock timed out is acquired.
	 * @param key the key
	 * @param fingerprint identifies the request (method, path, body)
	 * @param lockTimeout how long the claim holds while the request runs
	 * @return acquired, completed (same fingerprint), in flight (same fingerprint) or
	 * mismatch (different fingerprint)
	 */
	ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout);

	/**
	 * Stores the response of the operation that the token owns.
	 * @param key the key
	 * @param lockToken the token from {@link ClaimResult.Acquired}
	 * @param response the response to replay
	 * @param retention how long to keep it
	 * @return {@code true} if stored; {@code false} if the token no longer owns the key
	 */
	boolean complete(IdempotencyKey key, String lockToken, StoredResponse response, Duration retention);

	/**
	 * Frees the key so that a retry runs the operation again (the request failed in a way
	 * the client may fix).
	 * @param key the key
	 * @param lockToken the token from {@link ClaimResult.Acquired}
	 * @return {@code true} if freed; {@code false} if the token no longer owns the key
	 */
	boolean release(IdempotencyKey key, String lockToken);

	/**
	 * Extends the lock the token holds to {@code lockTimeout} from now (the store's
	 * clock, as for {@link #claim}), if the token still holds it: the key is in flight,
	 * its lock unexpired and not taken over. Claims of the key then keep answering
	 * {@link ClaimResult.InFlight}; a lock not renewed still expires after its timeout.
	 * <p>
	 * The engine renews the locks of running operations with it. The default throws, so
	 * that stores written for 0.1 still compile (their locks keep their first timeout);
	 * every store shipped implements it.
	 * @param key the key
	 * @param lockToken the token from {@link ClaimResult.Acquired}
	 * @param lockTimeout how long the lock holds from now
	 * @return {@code true} if extended; {@code false} if the token no longer holds the
	 * lock (expired, taken over, completed or released)
	 * @throws UnsupportedOperationException if the store cannot renew locks
	 */
	default boolean renew(IdempotencyKey key, String lockToken, Duration lockTimeout) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot renew locks");
	}

	/**
	 * Removes whatever the store holds for the key, in flight or completed, whoever owns
	 * it: an operator's tool, so that the next claim acquires the key and runs the
	 * operation again. Evicting a key in flight does not stop its request, but fences it
	 * off: once another claim acquired the key, the evicted owner's {@link #complete},
	 * {@link #release} and {@link #renew} answer {@code false}.
	 * <p>
	 * The default throws, so that stores written before it still compile; every store
	 * shipped implements it.
	 * @param key the key
	 * @return {@code true} if an unexpired record was removed; {@code false} if the key
	 * had none
	 * @throws UnsupportedOperationException if the store cannot evict keys
	 */
	default boolean evict(IdempotencyKey key) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot evict keys");
	}

	/**
	 * A view of this store whose {@link #claim}, {@link #complete} and {@link #release}
	 * join the transaction active on the calling thread, for operations whose claim,
	 * writes and result commit as one ({@link Atomicity#TRANSACTION}). In the view a
	 * claim stays invisible to others until the transaction commits; a concurrent claim
	 * of the same key answers {@link ClaimResult.InFlight} at once rather than wait for
	 * it; {@link #release} frees nothing by itself (the caller's rollback does), and a
	 * lock needs no {@link #renew renewal} (a dead process's transaction is aborted).
	 * <p>
	 * The default has none; the JDBC store on PostgreSQL and the two-layer store in front
	 * of it do.
	 * @return the view, or empty if this store cannot join transactions
	 */
	default Optional<IdempotencyStore> joiningTransactions() {
		return Optional.empty();
	}

	/**
	 * The replay of a completed key that this store can give from its own memory, with no
	 * round trip and no database connection: the engine asks before it begins the
	 * transaction of an operation that runs in one ({@link Atomicity#TRANSACTION}), so
	 * that such a replay needs none. Anything it answers, {@link #claim} would answer
	 * too.
	 * <p>
	 * The default has none; the near cache answers its hits.
	 * @param key the key
	 * @param fingerprint the request's fingerprint
	 * @return the replay, or empty when only {@link #claim} can tell
	 */
	default Optional<ClaimResult.Completed> replayFromMemory(IdempotencyKey key, String fingerprint) {
		return Optional.empty();
	}

	/**
	 * Reads what is stored for the key, if it is not expired.
	 * @param key the key
	 * @return the record, or empty
	 */
	Optional<IdempotencyRecord> find(IdempotencyKey key);

}
