package dev.idempotency.store;

import java.util.HashSet;
import java.util.Set;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The keys whose responses the transaction on the calling thread wrote, until it ends. A
 * completed answer read in that transaction for any other key was committed by someone
 * else (a statement only sees committed rows besides its own transaction's), so a cache
 * may keep it at once, whether the transaction then commits or rolls back; an answer for
 * one of these keys may still be undone by a rollback. Kept apart so that a store without
 * a database never loads Spring's transaction classes.
 */
final class KeysWrittenInTransaction {

	/** The key of the set among the thread's transaction resources. */
	private static final Object RESOURCE = new Object();

	private KeysWrittenInTransaction() {
	}

	/**
	 * Notes that the current transaction wrote the key's response; nothing without one.
	 * @param digest the key's digest
	 */
	static void add(String digest) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return;
		}
		keys(true).add(digest);
	}

	/**
	 * Whether the current transaction wrote the key's response.
	 * @param digest the key's digest
	 * @return whether it did
	 */
	static boolean contains(String digest) {
		Set<String> keys = keys(false);
		return keys != null && keys.contains(digest);
	}

	@SuppressWarnings("unchecked")
	private static Set<String> keys(boolean create) {
		Set<String> keys = (Set<String>) TransactionSynchronizationManager.getResource(RESOURCE);
		if (keys == null && create) {
			keys = new HashSet<>();
			TransactionSynchronizationManager.bindResource(RESOURCE, keys);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(RESOURCE);
				}

			});
		}
		return keys;
	}

}
