package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The in-memory store: the last resort when the type is unset, or the explicit choice.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(IdempotencyStore.class)
@ConditionalOnStoreType(StoreType.IN_MEMORY)
class InMemoryStoreConfiguration {

	@Bean
	InMemoryIdempotencyStore idempotencyStore(IdempotencyProperties properties,
			IdempotencyStoreCustomizers customizers) {
		InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
		store.setMaxEntries(properties.getInMemory().getMaxEntries());
		return customizers.customize(store);
	}

}
