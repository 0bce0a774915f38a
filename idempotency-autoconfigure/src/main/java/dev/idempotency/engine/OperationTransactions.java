package dev.idempotency.engine;

import dev.idempotency.IdempotencyStore;

/**
 * What the engine needs to run an operation whose claim, writes and result commit as one
 * (see {@link OperationPolicy#inTransaction()}): a transaction to begin on the calling
 * thread, and a view of the store whose writes join it.
 * <p>
 * The engine begins the transaction before the claim and keeps it open while the
 * operation runs on the same thread; completing the operation stores the result through
 * {@link #store()} and commits, releasing it rolls back. So the claim is invisible to
 * everyone else until the commit that also makes the operation's writes and its result
 * durable, and a rollback or a crash leaves nothing behind.
 */
public interface OperationTransactions {

	/**
	 * The store whose claims and completions join the transaction that {@link #begin}
	 * started on the calling thread.
	 * @return the store
	 */
	IdempotencyStore store();

	/**
	 * Begins (or joins) the operation's transaction on the calling thread.
	 * @param operation the operation
	 * @return the transaction, to commit or roll back on the same thread
	 */
	Transaction begin(IdempotentOperation operation);

	/**
	 * One operation's transaction.
	 */
	interface Transaction {

		/**
		 * Commits what the claim, the operation and the completion wrote.
		 * @throws RuntimeException if the commit failed: then nothing was kept
		 */
		void commit();

		/**
		 * Rolls everything back; does nothing if the transaction already ended. A
		 * transaction the operation joined is marked rollback-only: the operation's
		 * writes in it cannot be undone apart from the caller's.
		 */
		void rollback();

		/**
		 * Ends a transaction in which the claim wrote nothing (the key was replayed or
		 * refused): rolls back one the operation began, and leaves one it joined as it
		 * is, so that the caller's own work in it can still commit.
		 */
		void discard();

	}

}
