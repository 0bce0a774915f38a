package dev.idempotency.autoconfigure;

/**
 * The stores {@code idempotency.store.type} can choose.
 */
public enum StoreType {

	/** Redis in front, a database behind it as the authority. */
	TWO_LAYER,

	/** Redis alone. */
	REDIS,

	/** A database alone, through JDBC. */
	JDBC,

	/** This JVM's memory: tests and single-instance applications. */
	IN_MEMORY

}
