package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyStore;

/**
 * Callback that customizes a store that auto-configuration builds, before it is put to
 * use. Applied to each store and store layer whose type matches {@code T}: the Redis
 * layer ({@code RedisIdempotencyStore}), the database layer
 * ({@code JdbcIdempotencyStore}), the two-layer store and the in-memory store; a layer is
 * customized before it is wrapped for metrics, so customizers see the store itself. The
 * near cache put in front of the finished store is set by properties
 * ({@code idempotency.store.near-cache.*}) alone. Properties are applied first, so a
 * customizer may override them.
 *
 * @param <T> the type of store this customizer applies to
 */
@FunctionalInterface
public interface IdempotencyStoreCustomizer<T extends IdempotencyStore> {

	/**
	 * Customizes the store.
	 * @param store the store to customize
	 */
	void customize(T store);

}
