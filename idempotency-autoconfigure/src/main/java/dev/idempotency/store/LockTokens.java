package dev.idempotency.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New lock tokens: 128 random bits. Tokens fence off stale owners inside the store and
 * never reach clients, so they need uniqueness, not a cryptographic generator (whose
 * JVM-wide lock showed up under load).
 */
public final class LockTokens {

	private LockTokens() {
	}

	/**
	 * A new token.
	 * @return the token
	 */
	public static String newToken() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

}
