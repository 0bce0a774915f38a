package dev.idempotency.redis;

import java.util.function.Function;

import dev.idempotency.IdempotencyStoreException;
import io.lettuce.core.AbstractRedisClient;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Runs the store's operations on a connection and turns every failure into an
 * {@link IdempotencyStoreException}. With a {@link LettuceConnectionFactory} they go on a
 * native Lettuce connection of the store's own, opened from the factory's client (so with
 * its URI, database, timeout, SSL and client options) on first use, opened again when the
 * factory was restarted with a new client, and shared by all threads; other factories
 * give a connection per call. Neither {@code RedisTemplate} nor a {@code RedisConnection}
 * per call: profiles under load found, for every operation, a JDK proxy of the
 * connection, a lock all threads share to read a script's digest, another in the factory
 * to hand out its shared connection, and commons-logging's synchronized logger lookup in
 * the connection's constructor (threads were blocked there for 22 s of a 48 s run).
 */
final class RedisCommandRunner {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisCommandRunner.class.getClassLoader());

	private final RedisConnectionFactory connectionFactory;

	private final boolean lettuce;

	private final Object connecting = new Object();

	private volatile @Nullable LettuceCommands shared;

	RedisCommandRunner(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.lettuce = LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory;
	}

	/**
	 * Runs one operation.
	 * @param <T> its answer's type
	 * @param operation its name, for the failure's message
	 * @param call the operation
	 * @return its answer
	 * @throws IdempotencyStoreException when Redis failed or answered nothing
	 */
	<T> T call(String operation, Function<RedisCommands, @Nullable T> call) {
		T answer;
		try {
			RedisCommands commands = lettuce ? sharedCommands() : null;
			if (commands != null) {
				answer = call.apply(commands);
			}
			else {
				try (RedisConnection connection = connectionFactory.getConnection()) {
					answer = call.apply(new ConnectionCommands(connection));
				}
			}
		}
		catch (RuntimeException ex) {
			throw new IdempotencyStoreException("Redis " + operation + " failed: " + ex.getMessage(), ex);
		}
		if (answer == null) {
			throw new IdempotencyStoreException("Redis " + operation + " returned nothing (pipeline or transaction?)");
		}
		return answer;
	}

	/** A failed connect fails this call only; the next one tries again. */
	private LettuceCommands sharedCommands() {
		AbstractRedisClient client = ((LettuceConnectionFactory) connectionFactory).getNativeClient();
		LettuceCommands current = shared;
		if (current != null && current.client() == client) {
			return current;
		}
		synchronized (connecting) {
			current = shared;
			if (current == null || current.client() != client) {
				current = LettuceCommands.open(client);
				shared = current;
			}
			return current;
		}
	}

	/** Any other factory's connection, one per call. */
	private record ConnectionCommands(RedisConnection connection) implements RedisCommands {

		@Override
		public <T> @Nullable T run(LuaScript script, byte[][] keyAndArgs) {
			return script.run(connection, keyAndArgs);
		}

	}

}
