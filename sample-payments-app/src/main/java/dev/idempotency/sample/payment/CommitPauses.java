package dev.idempotency.sample.payment;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Fault injection only: pauses a payment's transaction just before its commit, or just
 * after it (before the response leaves), so that {@code chaos/} can kill the process in
 * either window. Off unless {@code payments.chaos.pause-before-commit} or
 * {@code payments.chaos.pause-after-commit} is set; never set them in production.
 */
@Component
class CommitPauses {

	private final Duration beforeCommit;

	private final Duration afterCommit;

	CommitPauses(@Value("${payments.chaos.pause-before-commit:0ms}") Duration beforeCommit,
			@Value("${payments.chaos.pause-after-commit:0ms}") Duration afterCommit) {
		this.beforeCommit = beforeCommit;
		this.afterCommit = afterCommit;
	}

	/** Pauses the transaction on this thread, if there is one and a pause is set. */
	void pauseAroundCommit() {
		if ((beforeCommit.isZero() && afterCommit.isZero())
				|| !TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void beforeCommit(boolean readOnly) {
				pause(beforeCommit);
			}

			@Override
			public void afterCommit() {
				pause(afterCommit);
			}

		});
	}

	private static void pause(Duration duration) {
		if (duration.isZero()) {
			return;
		}
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
