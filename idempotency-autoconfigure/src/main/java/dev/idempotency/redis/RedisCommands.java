package dev.idempotency.redis;

import org.jspecify.annotations.Nullable;

/** What the store's operations need of Redis, on whichever connection carries them. */
interface RedisCommands {

	/**
	 * Runs a script on one key: {@code EVALSHA}, then {@code EVAL} if Redis does not have
	 * it (after a restart or {@code SCRIPT FLUSH}).
	 * @param <T> the answer's type
	 * @param script the script
	 * @param keyAndArgs the key, then the arguments
	 * @return the answer, or {@code null} inside a pipeline or transaction
	 */
	<T> @Nullable T run(LuaScript script, byte[][] keyAndArgs);

}
