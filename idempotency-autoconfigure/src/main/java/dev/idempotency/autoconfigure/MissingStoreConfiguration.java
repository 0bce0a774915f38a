package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Fails the start-up with a clear message when {@code idempotency.store.type} names a
 * store the application cannot have, rather than silently falling back to memory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnProperty(StoreTypeCondition.PROPERTY)
class MissingStoreConfiguration {

	@Bean
	IdempotencyStore idempotencyStore(Environment environment) {
		String type = environment.getProperty(StoreTypeCondition.PROPERTY);
		throw new IllegalStateException(StoreTypeCondition.PROPERTY + "=" + type
				+ " cannot be satisfied: redis needs a RedisConnectionFactory (spring-boot-starter-data-redis), "
				+ "jdbc needs a DataSource (spring-boot-starter-jdbc), two-layer needs both");
	}

}
