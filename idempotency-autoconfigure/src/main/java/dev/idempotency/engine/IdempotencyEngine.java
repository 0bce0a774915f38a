package dev.idempotency.engine;

import java.time.Duration;
import java.util.Optional;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.log.OperationLog;
import dev.idempotency.observation.IdempotencyObservationConvention;
import dev.idempotency.observation.IdempotencyObservationDocumentation;
import dev.idempotency.observation.TraceIdSource;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The idempotency protocol, free of any entry point: claims an operation's key (waiting
 * for a running duplicate when the operation asks), and hands back either a
 * {@link RunningOperation} to run, whose lock it keeps alive, or the stored result to
 * replay. Every entry point (the web adapter, the method interceptor, the template)
 * drives this one class, so they share one set of guarantees and one vocabulary of
 * events. Each claim is observed as an {@code idempotency.operation} (see
 * {@link IdempotencyObservationDocumentation}) that ends when the operation is replayed,
 * refused or finished; {@link IdempotencyContext#bind} makes it current while the
 * operation runs. Thread-safe.
 */
public final class IdempotencyEngine {

	private static final OperationLog log = new OperationLog(IdempotencyEngine.class);

	private static final Duration FIRST_POLL = Duration.ofMillis(20);

	private static final Duration LONGEST_POLL = Duration.ofMillis(250);

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final LeaseKeeper leases;

	private final OperationObservations observations;

	private @Nullable OperationTransactions transactions;

	private TraceIdSource traceIds = TraceIdSource.NONE;

	/**
	 * Creates an engine that observes nothing.
	 * @param store where keys are claimed and results kept
	 * @param listener hears every decision
	 * @param leases renews the locks of running operations
	 */
	public IdempotencyEngine(IdempotencyStore store, IdempotencyListener listener, LeaseKeeper leases) {
		this(store, listener, leases, ObservationRegistry.NOOP, null);
	}

	/**
	 * Creates an engine.
	 * @param store where keys are claimed and results kept
	 * @param listener hears every decision
	 * @param leases renews the locks of running operations
	 * @param observationRegistry observes each operation
	 * ({@link ObservationRegistry#NOOP} for none)
	 * @param observationConvention names and tags the observations, or {@code null} for
	 * the default
	 */
	public IdempotencyEngine(IdempotencyStore store, IdempotencyListener listener, LeaseKeeper leases,
			ObservationRegistry observationRegistry, @Nullable IdempotencyObservationConvention observationConvention) {
		this.store = store;
		this.listener = listener;
		this.leases = leases;
		this.observations = new OperationObservations(observationRegistry, observationConvention);
	}

	/**
	 * Lets operations whose policy says {@link OperationPolicy#inTransaction() in
	 * transaction} run: their claim, writes and result commit as one.
	 * @param transactions begins their transactions
	 */
	public void setTransactions(@Nullable OperationTransactions transactions) {
		this.transactions = transactions;
	}

	/**
	 * Lets completed operations store the trace id they ran in with their result, which
	 * their replays' observations then carry.
	 * @param traceIds tells the current trace id ({@link TraceIdSource#NONE} by default)
	 */
	public void setTraceIdSource(TraceIdSource traceIds) {
		this.traceIds = traceIds;
	}

	/**
	 * Whether operations may run {@link OperationPolicy#inTransaction() in transaction}.
	 * @return whether a transaction source was given
	 */
	public boolean supportsTransactions() {
		return transactions != null;
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
		Observation observation = observations.start(operation);
		Attempts attempts = new Attempts(store, operation);
		ClaimResult result;
		try {
			if (operation.policy().inTransaction()) {
				attempts = new TransactionalAttempts(transactions(operation), operation);
			}
			result = observedClaim(operation, observation, attempts);
		}
		catch (IdempotencyStoreException ex) {
			attempts.failed();
			listener.onRequest(operation.name(), Outcome.UNAVAILABLE);
			OperationObservations.stop(observation, Outcome.UNAVAILABLE, ex);
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			attempts.failed();
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		if (result instanceof ClaimResult.Acquired acquired) {
			listener.onRequest(operation.name(), Outcome.EXECUTED);
			OperationObservations.executed(observation);
			OperationTransactions.Transaction transaction = attempts.transaction();
			// A claim in a transaction needs no renewal: nobody sees it before the
			// commit, and the database ends the transaction of a process that died.
			LeaseKeeper.Lease lease = (transaction != null) ? leases.notRenewed(operation, acquired.lockToken())
					: leases.keep(operation, acquired.lockToken());
			return new Claim.Run(new RunningOperation(operation, acquired.lockToken(), acquired.fencingToken(),
					attempts.store(), listener, lease, observations, observation, transaction, traceIds));
		}
		attempts.refused();
		if (result instanceof ClaimResult.Completed completed) {
			listener.onRequest(operation.name(), Outcome.REPLAYED);
			OperationObservations.replayed(observation, completed.response());
			return new Claim.Replay(completed.response());
		}
		if (result instanceof ClaimResult.InFlight inFlight) {
			listener.onRequest(operation.name(), Outcome.CONFLICT);
			OperationObservations.stop(observation, Outcome.CONFLICT, null);
			throw new IdempotencyInFlightException(operation.key(), inFlight.retryAfter());
		}
		listener.onRequest(operation.name(), Outcome.MISMATCH);
		log.info("mismatch", operation.name(), operation.key(),
				"Idempotency key reused for a different request: refused; the client must use a new key");
		OperationObservations.stop(observation, Outcome.MISMATCH, null);
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

	private OperationTransactions transactions(IdempotentOperation operation) {
		if (transactions == null) {
			throw new IllegalStateException("Operation " + operation.name()
					+ " runs in a transaction (atomicity TRANSACTION), but the store cannot join transactions: "
					+ "it needs the JDBC store on PostgreSQL (alone or behind Redis) and a transaction manager");
		}
		return transactions;
	}

	/**
	 * The claim as a child of the operation, so that the store's own spans nest in it.
	 */
	private ClaimResult observedClaim(IdempotentOperation operation, Observation parent, Attempts attempts) {
		Observation claim = observations.startChild(IdempotencyObservationDocumentation.CLAIM, parent, operation);
		try (Observation.Scope scope = claim.openScope()) {
			return claimOrWait(operation.policy(), attempts);
		}
		catch (RuntimeException | Error ex) {
			claim.error(ex);
			throw ex;
		}
		finally {
			claim.stop();
		}
	}

	private static ClaimResult claimOrWait(OperationPolicy policy, Attempts attempts) {
		ClaimResult result = attempts.claim();
		if (!policy.waitWhenInFlight()) {
			return result;
		}
		long deadline = System.nanoTime() + policy.maxWait().toNanos();
		Duration pause = FIRST_POLL;
		while (result instanceof ClaimResult.InFlight && System.nanoTime() < deadline) {
			attempts.refused();
			long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
			try {
				Thread.sleep(Math.min(pause.toMillis(), remaining));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return result;
			}
			pause = (pause.compareTo(LONGEST_POLL) < 0) ? pause.multipliedBy(2) : LONGEST_POLL;
			result = attempts.claim();
		}
		return result;
	}

	/** The claims of one operation's key: the first, and those after each pause. */
	private static class Attempts {

		private final IdempotencyStore store;

		final IdempotentOperation operation;

		Attempts(IdempotencyStore store, IdempotentOperation operation) {
			this.store = store;
			this.operation = operation;
		}

		ClaimResult claim() {
			return store.claim(operation.key(), operation.fingerprint(), operation.policy().lockTimeout());
		}

		/** The last claim was answered without a grant: replayed, refused, or waiting. */
		void refused() {
		}

		/** The last claim failed. */
		void failed() {
		}

		IdempotencyStore store() {
			return store;
		}

		/** The transaction of the granted claim, in which the operation goes on. */
		OperationTransactions.@Nullable Transaction transaction() {
			return null;
		}

	}

	/**
	 * Claims in a transaction each (unless the store replays from memory), through the
	 * store's view that joins it; the granted claim's transaction goes on with the
	 * operation. A claim answered without a grant ends its transaction at once (one the
	 * operation joined is left to its owner, unharmed): a replay or a refusal gives its
	 * connection back before it answers, and the wait for a running duplicate holds none
	 * between its claims.
	 */
	private static final class TransactionalAttempts extends Attempts {

		private final OperationTransactions transactions;

		private OperationTransactions.@Nullable Transaction current;

		TransactionalAttempts(OperationTransactions transactions, IdempotentOperation operation) {
			super(transactions.store(), operation);
			this.transactions = transactions;
		}

		@Override
		ClaimResult claim() {
			// A replay from memory needs no transaction, nor the connection it would
			// take.
			Optional<ClaimResult.Completed> remembered = store().replayFromMemory(operation.key(),
					operation.fingerprint());
			if (remembered.isPresent()) {
				return remembered.get();
			}
			current = transactions.begin(operation);
			return super.claim();
		}

		@Override
		void refused() {
			if (current != null) {
				current.discard();
				current = null;
			}
		}

		@Override
		void failed() {
			if (current != null) {
				current.rollback();
				current = null;
			}
		}

		@Override
		OperationTransactions.@Nullable Transaction transaction() {
			return current;
		}

	}

}
