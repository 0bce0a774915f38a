package dev.idempotency.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script of the store, read once with its SHA-1 computed once.
 *
 * @param text the script
 * @param sha1 its SHA-1 digest in hex, as {@code EVALSHA} takes it
 * @param returnType how Redis answers
 */
record LuaScript(byte[] text, String sha1, ReturnType returnType) {

	static LuaScript load(String name, ReturnType returnType) {
		try {
			byte[] text = new ClassPathResource(name, LuaScript.class).getContentAsByteArray();
			String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
			return new LuaScript(text, sha1, returnType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Redis script " + name, ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every JVM", ex);
		}
	}

	/** {@code EVALSHA}, then {@code EVAL} if Redis does not have the script. */
	<T> @Nullable T run(RedisConnection connection, byte[][] keyAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(sha1, returnType, 1, keyAndArgs);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(text, returnType, 1, keyAndArgs);
		}
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.contains("NOSCRIPT")) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
