package dev.idempotency.engine;

import java.time.Duration;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;

/**
 * The idempotency protocol, free of any entry point: claims an operation's key (waiting
 * for a running duplicate when the operation asks), and hands back either a
 * {@link RunningOperation} to run, whose lock it keeps alive, or the stored result to
 * replay. Every entry point (the web adapter, the method interceptor, the template)
 * drives this one class, so they share one set of guarantees and one vocabulary of
 * events. Thread-safe.
 */
public final class IdempotencyEngine {

	private static final Duration FIRST_POLL = Duration.ofMillis(20);

	private static final Duration LONGEST_POLL = Duration.ofMillis(250);

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final LeaseKeeper leases;

	/**
	 * Creates an engine.
	 * @param store where keys are claimed and results kept
	 * @param listener hears every decision
	 * @param leases renews the locks of running operations
	 */
	public IdempotencyEngine(IdempotencyStore store, IdempotencyListener listener, LeaseKeeper leases) {
		this.store = store;
		this.listener = listener;
		this.leases = leases;
	}

	/**
	 * Claims the operation's key.
	 * @param operation the operation
	 * @return run it (the caller must then complete or release it) or replay its result
	 * @throws IdempotencyInFlightException when a duplicate is still running (after the
	 * wait, if the operation waits)
	 * @throws IdempotencyKeyReusedException when the key was used for another request
	 * @throws IdempotencyStoreException when the store failed: nothing may run
	 */
	public Claim claim(IdempotentOperation operation) {
		ClaimResult result;
		try {
			result = claimOrWait(operation);
		}
		catch (IdempotencyStoreException ex) {
			listener.onRequest(operation.name(), Outcome.UNAVAILABLE);
			throw ex;
		}
		if (result instanceof ClaimResult.Acquired acquired) {
			listener.onRequest(operation.name(), Outcome.EXECUTED);
			return new Claim.Run(new RunningOperation(operation, acquired.lockToken(), acquired.fencingToken(), store,
					listener, leases.keep(operation, acquired.lockToken())));
		}
		if (result instanceof ClaimResult.Completed completed) {
			listener.onRequest(operation.name(), Outcome.REPLAYED);
			return new Claim.Replay(completed.response());
		}
		if (result instanceof ClaimResult.InFlight inFlight) {
			listener.onRequest(operation.name(), Outcome.CONFLICT);
			throw new IdempotencyInFlightException(operation.key(), inFlight.retryAfter());
		}
		listener.onRequest(operation.name(), Outcome.MISMATCH);
		throw new IdempotencyKeyReusedException(operation.key());
	}

	/**
	 * Reports a call refused before it reached the store (no key, a malformed one, a body
	 * too large), so that every entry point's refusals are counted alike.
	 * @param name the operation's name
	 */
	public void rejected(String name) {
		listener.onRequest(name, Outcome.REJECTED);
	}

	private ClaimResult claimOrWait(IdempotentOperation operation) {
		OperationPolicy policy = operation.policy();
		ClaimResult result = store.claim(operation.key(), operation.fingerprint(), policy.lockTimeout());
		if (!policy.waitWhenInFlight()) {
			return result;
		}
		long deadline = System.nanoTime() + policy.maxWait().toNanos();
		Duration pause = FIRST_POLL;
		while (result instanceof ClaimResult.InFlight && System.nanoTime() < deadline) {
			long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
			try {
				Thread.sleep(Math.min(pause.toMillis(), remaining));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return result;
			}
			pause = (pause.compareTo(LONGEST_POLL) < 0) ? pause.multipliedBy(2) : LONGEST_POLL;
			result = store.claim(operation.key(), operation.fingerprint(), policy.lockTimeout());
		}
		return result;
	}

}
