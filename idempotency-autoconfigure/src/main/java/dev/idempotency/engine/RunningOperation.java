package dev.idempotency.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.log.OperationLog;
import dev.idempotency.observation.IdempotencyObservationDocumentation;
import dev.idempotency.observation.TraceIdSource;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * An operation that owns its key and runs. Its lock is renewed until it is finished with
 * exactly one of {@link #complete}, {@link #completeWithoutBody} or {@link #release};
 * each is fenced by the lock token, so an execution that lost its lock (taken over after
 * it expired) can neither store a result nor free the new owner's key. Finishing never
 * throws: the operation already ran, and the caller still delivers its result.
 * <p>
 * An operation {@link OperationPolicy#inTransaction() in transaction} is different: its
 * claim and its writes are not durable until completing it commits them with its result,
 * so a completion that fails rolls everything back and answers
 * {@link Completion#ROLLED_BACK}: then the operation did not happen, and the caller must
 * not deliver its result. Releasing it rolls back. Finish it on the thread that claimed
 * it, which holds the transaction.
 */
public final class RunningOperation {

	private static final OperationLog log = new OperationLog(RunningOperation.class);

	private final IdempotentOperation operation;

	private final String lockToken;

	private final long fencingToken;

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final LeaseKeeper.Lease lease;

	private final OperationObservations observations;

	private final Observation observation;

	private final OperationTransactions.@Nullable Transaction transaction;

	private final TraceIdSource traceIds;

	private volatile boolean finished;

	private final AtomicInteger outboundCalls = new AtomicInteger();

	RunningOperation(IdempotentOperation operation, String lockToken, long fencingToken, IdempotencyStore store,
			IdempotencyListener listener, LeaseKeeper.Lease lease, OperationObservations observations,
			Observation observation, OperationTransactions.@Nullable Transaction transaction, TraceIdSource traceIds) {
		this.operation = operation;
		this.lockToken = lockToken;
		this.fencingToken = fencingToken;
		this.store = store;
		this.listener = listener;
		this.lease = lease;
		this.observations = observations;
		this.observation = observation;
		this.transaction = transaction;
		this.traceIds = traceIds;
	}

	/** The operation's observation, made current by {@link IdempotencyContext#bind}. */
	Observation observation() {
		return observation;
	}

	/**
	 * The key this execution owns.
	 * @return the key
	 */
	public IdempotencyKey key() {
		return operation.key();
	}

	/**
	 * A number that grows with every execution that acquires this key: a downstream
	 * system that remembers the largest it has seen can refuse writes from an execution
	 * that has since lost its lock to a newer one.
	 * @return the fencing token
	 */
	public long fencingToken() {
		return fencingToken;
	}

	/**
	 * Numbers the calls this execution makes to other services, 1, 2, 3...: a retry of
	 * the operation that makes the same calls in the same order numbers them alike, so
	 * keys derived from the number stay stable across retries.
	 * @return the next call's number
	 */
	public int nextOutboundCall() {
		return outboundCalls.incrementAndGet();
	}

	/**
	 * The operation's name, as metrics know it.
	 * @return the name
	 */
	public String name() {
		return operation.name();
	}

	/**
	 * How long the result is kept.
	 * @return the retention
	 */
	public Duration retention() {
		return operation.policy().retention();
	}

	/**
	 * Whether a renewal found that this execution no longer owns its key: its result will
	 * not be stored.
	 * @return whether the lock was lost
	 */
	public boolean isLockLost() {
		return lease.isLost();
	}

	/**
	 * Stores the result for replay.
	 * @param result the result
	 * @return {@link Completion#STORED}, or why not
	 */
	public Completion complete(StoredResponse result) {
		return finish(
				() -> committed(store.complete(key(), lockToken, traced(result), retention()), Completion.STORED));
	}

	/**
	 * Stores a record that the operation happened but its result was too large to keep:
	 * retries are refused with it and never run again.
	 * @param refusal what retries get instead of the result
	 * @return {@link Completion#STORED_WITHOUT_BODY}, or why not
	 */
	public Completion completeWithoutBody(StoredResponse refusal) {
		return finish(() -> committed(store.complete(key(), lockToken, traced(refusal), retention()),
				Completion.STORED_WITHOUT_BODY));
	}

	/**
	 * Frees the key, so that a retry runs the operation again.
	 * @param failed whether the operation failed (threw), rather than ended with a result
	 * that is not kept
	 * @return {@link Completion#RELEASED_ERROR} or {@link Completion#RELEASED_STATUS}
	 */
	public Completion release(boolean failed) {
		return finish(() -> {
			if (transaction != null) {
				transaction.rollback();
			}
			store.release(key(), lockToken);
			return failed ? Completion.RELEASED_ERROR : Completion.RELEASED_STATUS;
		});
	}

	/**
	 * After a rollback the key is free in the database; what a cache in front still holds
	 * for it (an in-flight marker) must not refuse the retry.
	 */
	private void releaseQuietly() {
		try {
			store.release(key(), lockToken);
		}
		catch (RuntimeException ex) {
			// The marker expires on its own, within the cache's bound.
		}
	}

	/**
	 * The result with the trace id it is stored under, asked for inside the completion's
	 * observation (of the operation's trace). A trace id that cannot be had or kept is
	 * left out: it is for operators, and must not cost the result.
	 */
	private StoredResponse traced(StoredResponse result) {
		if (result.traceId() != null) {
			return result;
		}
		try {
			String traceId = traceIds.currentTraceId();
			return (traceId != null) ? result.withTraceId(traceId) : result;
		}
		catch (RuntimeException ex) {
			return result;
		}
	}

	/** A stored result is final once its transaction, if any, has committed. */
	private Completion committed(boolean stored, Completion completion) {
		if (!stored) {
			if (transaction != null) {
				transaction.rollback();
				releaseQuietly();
			}
			return lockLost();
		}
		if (transaction != null) {
			transaction.commit();
		}
		return completion;
	}

	private Completion lockLost() {
		log.warn("lock_lost", name(), key(),
				"Lock of " + key() + " was lost before its result was stored; "
						+ "nothing was stored. Is the store reachable from every instance, and the lock timeout of "
						+ name() + " long enough?",
				null);
		return Completion.LOCK_LOST;
	}

	private Completion finish(StoreCall call) {
		if (finished) {
			throw new IllegalStateException("The operation under " + key() + " was already finished");
		}
		finished = true;
		lease.stop();
		Completion completion = Completion.STORE_FAILED;
		Observation step = observations.startChild(IdempotencyObservationDocumentation.COMPLETE, observation,
				operation);
		try (Observation.Scope scope = step.openScope()) {
			completion = call.run();
		}
		catch (RuntimeException ex) {
			if (transaction == null && !(ex instanceof IdempotencyStoreException)) {
				throw ex;
			}
			step.error(ex);
			if (transaction != null) {
				transaction.rollback();
				releaseQuietly();
				completion = Completion.ROLLED_BACK;
				log.error("rolled_back", name(), key(), "Could not commit the outcome of " + key()
						+ "; its writes were rolled back and the key is free", ex);
			}
			else {
				// The operation ran; its caller still gets the result. The key stays
				// locked
				// until the lock timeout, so duplicates are refused until then.
				log.error("store_failed", name(), key(),
						"Could not record the outcome of " + key() + "; the key stays locked until its lock timeout",
						ex);
			}
		}
		finally {
			step.stop();
			OperationObservations.finished(observation, completion);
		}
		listener.onCompletion(name(), completion);
		return completion;
	}

	@FunctionalInterface
	private interface StoreCall {

		Completion run();

	}

}
