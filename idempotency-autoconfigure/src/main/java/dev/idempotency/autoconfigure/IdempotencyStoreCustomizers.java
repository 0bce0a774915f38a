package dev.idempotency.autoconfigure;

import java.util.List;

import dev.idempotency.IdempotencyStore;

import org.springframework.boot.util.LambdaSafe;

/**
 * The application's {@link IdempotencyStoreCustomizer}s, applied by each store
 * configuration to the stores it builds. {@link LambdaSafe} matches a customizer to a
 * store by the customizer's generic type, lambdas included.
 */
final class IdempotencyStoreCustomizers {

	private final List<IdempotencyStoreCustomizer<?>> customizers;

	IdempotencyStoreCustomizers(List<IdempotencyStoreCustomizer<?>> customizers) {
		this.customizers = List.copyOf(customizers);
	}

	@SuppressWarnings("unchecked")
	<T extends IdempotencyStore> T customize(T store) {
		LambdaSafe.callbacks(IdempotencyStoreCustomizer.class, customizers, store)
			.withLogger(IdempotencyStoreCustomizers.class)
			.invoke((customizer) -> customizer.customize(store));
		return store;
	}

}
