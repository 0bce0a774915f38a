package dev.idempotency.redis;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;

/**
 * Commands on one thread-safe native Lettuce connection, standalone (or sentinel) or
 * cluster, shared by every thread. Through the asynchronous API, awaited with the
 * connection's timeout as the synchronous API would: the synchronous one is a JDK proxy
 * that invokes each command reflectively, a cost a replay measurably paid.
 *
 * @param client the client it was opened from
 * @param connection the connection
 * @param scripting its script commands
 */
record LettuceCommands(AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
		RedisScriptingAsyncCommands<byte[], byte[]> scripting) implements RedisCommands {

	static LettuceCommands open(AbstractRedisClient client) {
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
			return new LettuceCommands(client, connection, connection.async());
		}
		if (client instanceof RedisClient standalone) {
			StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
			return new LettuceCommands(client, connection, connection.async());
		}
		throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
	}

	@Override
	public <T> @Nullable T run(LuaScript script, byte[][] keyAndArgs) {
		byte[][] keys = { keyAndArgs[0] };
		byte[][] args = Arrays.copyOfRange(keyAndArgs, 1, keyAndArgs.length);
		ScriptOutputType output = (script.returnType() == ReturnType.MULTI) ? ScriptOutputType.MULTI
				: ScriptOutputType.INTEGER;
		try {
			return await(scripting.evalsha(script.sha1(), output, keys, args));
		}
		catch (RedisNoScriptException ex) {
			return await(scripting.eval(script.text(), output, keys, args));
		}
	}

	/** Waits at most the connection's timeout; a failure is rethrown as Redis's own. */
	private <T> T await(RedisFuture<T> future) {
		return LettuceFutures.awaitOrCancel(future, connection.getTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

}
