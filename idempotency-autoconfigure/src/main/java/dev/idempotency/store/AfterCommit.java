package dev.idempotency.store;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a cache write once the transaction on the calling thread has committed, when the
 * store it follows writes in that transaction; otherwise (or without a transaction) at
 * once. Kept apart so that a store without a database never loads Spring's transaction
 * classes.
 */
final class AfterCommit {

	private AfterCommit() {
	}

	/**
	 * Runs the action now, or after the commit.
	 * @param inCallersTransaction whether what the action follows was written in the
	 * caller's transaction, which may still roll back
	 * @param action the write
	 */
	static void run(boolean inCallersTransaction, Runnable action) {
		if (!inCallersTransaction || !TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				action.run();
			}

		});
	}

}
