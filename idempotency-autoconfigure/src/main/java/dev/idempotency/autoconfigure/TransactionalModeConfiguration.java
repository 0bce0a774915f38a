package dev.idempotency.autoconfigure;

import javax.sql.DataSource;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.engine.OperationTransactions;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.transaction.PlatformOperationTransactions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.ClassUtils;

/**
 * Transactional mode ({@code Atomicity.TRANSACTION}): the application's only or primary
 * transaction manager begins operations' transactions, and the store's view that joins
 * them ({@link IdempotencyStore#joiningTransactions()}) claims and completes inside. Made
 * only when the store has such a view (the JDBC store on PostgreSQL, alone or behind
 * Redis) on the very {@code DataSource} the transaction manager manages; otherwise the
 * mode is unavailable, and an operation that asks for it fails the start-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ PlatformTransactionManager.class, DataSourceTransactionManager.class })
@ConditionalOnBean({ IdempotencyStore.class, PlatformTransactionManager.class })
class TransactionalModeConfiguration {

	private static final Log logger = LogFactory.getLog(TransactionalModeConfiguration.class);

	private static final String JPA_TRANSACTION_MANAGER = "org.springframework.orm.jpa.JpaTransactionManager";

	@Bean
	@ConditionalOnMissingBean
	@Nullable OperationTransactions idempotencyOperationTransactions(IdempotencyStore store,
			ObjectProvider<PlatformTransactionManager> managers,
			@Qualifier(JdbcLayerConfiguration.LAYER) ObjectProvider<JdbcIdempotencyStore> database) {
		PlatformTransactionManager manager = managers.getIfUnique();
		IdempotencyStore joining = store.joiningTransactions().orElse(null);
		if (manager == null || joining == null) {
			return null;
		}
		JdbcIdempotencyStore table = database.getIfAvailable();
		DataSource managed = managedDataSource(manager);
		if (table != null && managed != null && !table.runsOn(managed)) {
			logger.warn("Transactional mode is unavailable: the transaction manager " + manager
					+ " manages another DataSource than the idempotency table's");
			return null;
		}
		return new PlatformOperationTransactions(manager, joining);
	}

	private static @Nullable DataSource managedDataSource(PlatformTransactionManager manager) {
		if (manager instanceof DataSourceTransactionManager jdbc) {
			return jdbc.getDataSource();
		}
		if (ClassUtils.isPresent(JPA_TRANSACTION_MANAGER, manager.getClass().getClassLoader())) {
			return JpaDataSource.of(manager);
		}
		return null;
	}

	/** Apart, so that JPA's classes are loaded only when they are there. */
	private static final class JpaDataSource {

		static @Nullable DataSource of(PlatformTransactionManager manager) {
			return (manager instanceof org.springframework.orm.jpa.JpaTransactionManager jpa) ? jpa.getDataSource()
					: null;
		}

	}

}
