package dev.idempotency.store;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs an action once the transaction on the calling thread has committed, or at once
 * when there is none. Kept apart so that a store without a database never loads Spring's
 * transaction classes.
 */
final class AfterCommit {

	private AfterCommit() {
	}

	static void run(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
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
