package dev.idempotency.transaction;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.OperationTransactions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Begins operations' transactions with the application's
 * {@link PlatformTransactionManager}, joining one that is already active
 * ({@code PROPAGATION_REQUIRED}): the operation's own {@code @Transactional} methods join
 * it in turn, so its writes commit with the claim and the result. An operation that
 * suspends the transaction ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}) writes outside
 * it: that is logged once per operation, since those writes stay when the operation rolls
 * back.
 */
public final class PlatformOperationTransactions implements OperationTransactions {

	private static final Log logger = LogFactory.getLog(PlatformOperationTransactions.class);

	private final PlatformTransactionManager manager;

	private final IdempotencyStore store;

	private final Set<String> warnedOperations = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the transaction source.
	 * @param manager the application's transaction manager, managing the store's database
	 * @param store the store's view that joins transactions
	 * ({@link IdempotencyStore#joiningTransactions()})
	 */
	public PlatformOperationTransactions(PlatformTransactionManager manager, IdempotencyStore store) {
		this.manager = manager;
		this.store = store;
	}

	@Override
	public IdempotencyStore store() {
		return store;
	}

	@Override
	public Transaction begin(IdempotentOperation operation) {
		DefaultTransactionDefinition definition = new DefaultTransactionDefinition(
				TransactionDefinition.PROPAGATION_REQUIRED);
		definition.setName("idempotency " + operation.name());
		TransactionStatus status;
		try {
			status = manager.getTransaction(definition);
		}
		catch (TransactionException ex) {
			throw new IdempotencyStoreException("Could not begin the transaction of " + operation.name(), ex);
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new SuspensionWarning(operation.name()));
		}
		return new PlatformTransaction(status);
	}

	@Override
	public String toString() {
		return "PlatformOperationTransactions[" + manager + ", " + store + "]";
	}

	private final class PlatformTransaction implements Transaction {

		private final TransactionStatus status;

		private PlatformTransaction(TransactionStatus status) {
			this.status = status;
		}

		@Override
		public void commit() {
			try {
				manager.commit(status);
			}
			catch (TransactionException ex) {
				throw new IdempotencyStoreException("Could not commit an idempotent operation's transaction", ex);
			}
		}

		@Override
		public void discard() {
			if (status.isNewTransaction()) {
				rollback();
			}
		}

		@Override
		public void rollback() {
			if (status.isCompleted()) {
				return;
			}
			try {
				manager.rollback(status);
			}
			catch (TransactionException ex) {
				// The database aborts what it cannot roll back; nothing was committed.
				logger.warn("Could not roll back an idempotent operation's transaction: " + ex.getMessage());
			}
		}

	}

	/** Suspension means the operation is about to write outside its unit. */
	private final class SuspensionWarning implements TransactionSynchronization {

		private final String operationName;

		private SuspensionWarning(String operationName) {
			this.operationName = operationName;
		}

		@Override
		public void suspend() {
			if (warnedOperations.add(operationName)) {
				logger.warn("Idempotent operation " + operationName + " suspended its transaction "
						+ "(REQUIRES_NEW or NOT_SUPPORTED): what it writes meanwhile commits apart from its key "
						+ "and result, and stays if the operation rolls back");
			}
		}

	}

}
