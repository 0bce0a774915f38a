package dev.idempotency.autoconfigure;

/**
 * Names of the store layers in metrics and logs.
 */
final class StoreLayers {

	static final String REDIS = "redis";

	static final String DATABASE = "database";

	private StoreLayers() {
	}

}
