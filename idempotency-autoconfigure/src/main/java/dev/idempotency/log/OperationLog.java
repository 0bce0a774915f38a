package dev.idempotency.log;

import dev.idempotency.IdempotencyKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.util.ClassUtils;

/**
 * Log lines for the outcomes that matter on call (a lock lost, a store that failed, a
 * degraded layer, a reused key), each with the same key-value pairs:
 * {@code idempotency.event}, {@code idempotency.endpoint}, {@code idempotency.key_digest}
 * (locates the record) and {@code idempotency.client_key} masked (whoever holds the real
 * one can replay the response). With SLF4J 2 the pairs are structured, so Spring Boot's
 * structured logging (ECS, Logstash) shows them as fields; without it they end the
 * message.
 */
public final class OperationLog {

	private static final boolean SLF4J_FLUENT = ClassUtils.isPresent("org.slf4j.spi.LoggingEventBuilder",
			OperationLog.class.getClassLoader());

	private final Class<?> source;

	private final Log fallback;

	/**
	 * A log for one class's lines.
	 * @param source the class that logs
	 */
	public OperationLog(Class<?> source) {
		this.source = source;
		this.fallback = LogFactory.getLog(source);
	}

	/**
	 * A warning about an operation.
	 * @param event the outcome, such as {@code lock_lost}
	 * @param endpoint the operation's endpoint or name
	 * @param key its key, or {@code null} when the line is about no one key
	 * @param message what happened and what to do
	 * @param failure the cause, if any
	 */
	public void warn(String event, String endpoint, @Nullable IdempotencyKey key, String message,
			@Nullable Throwable failure) {
		if (SLF4J_FLUENT) {
			Slf4j.log(LoggerFactory.getLogger(source).atWarn(), event, endpoint, key, message, failure);
		}
		else {
			fallback.warn(message + pairs(event, endpoint, key), failure);
		}
	}

	/**
	 * An error about an operation, as {@link #warn} otherwise.
	 * @param event the outcome, such as {@code store_failed}
	 * @param endpoint the operation's endpoint or name
	 * @param key its key, or {@code null}
	 * @param message what happened and what to do
	 * @param failure the cause, if any
	 */
	public void error(String event, String endpoint, @Nullable IdempotencyKey key, String message,
			@Nullable Throwable failure) {
		if (SLF4J_FLUENT) {
			Slf4j.log(LoggerFactory.getLogger(source).atError(), event, endpoint, key, message, failure);
		}
		else {
			fallback.error(message + pairs(event, endpoint, key), failure);
		}
	}

	/**
	 * An informational line about an operation (a client's mistake, not the service's).
	 * @param event the outcome, such as {@code mismatch}
	 * @param endpoint the operation's endpoint or name
	 * @param key its key
	 * @param message what happened
	 */
	public void info(String event, String endpoint, IdempotencyKey key, String message) {
		if (SLF4J_FLUENT) {
			Logger logger = LoggerFactory.getLogger(source);
			if (logger.isInfoEnabled()) {
				Slf4j.log(logger.atInfo(), event, endpoint, key, message, null);
			}
		}
		else if (fallback.isInfoEnabled()) {
			fallback.info(message + pairs(event, endpoint, key));
		}
	}

	private static String pairs(String event, String endpoint, @Nullable IdempotencyKey key) {
		String pairs = " [idempotency.event=" + event + ", idempotency.endpoint=" + endpoint;
		if (key != null) {
			pairs += ", idempotency.key_digest=" + key.digest() + ", idempotency.client_key="
					+ IdempotencyKey.masked(key.clientKey());
		}
		return pairs + "]";
	}

	/** Kept apart so that the class loads without SLF4J. */
	private static final class Slf4j {

		static void log(LoggingEventBuilder line, String event, String endpoint, @Nullable IdempotencyKey key,
				String message, @Nullable Throwable failure) {
			line = line.setMessage(message)
				.addKeyValue("idempotency.event", event)
				.addKeyValue("idempotency.endpoint", endpoint);
			if (key != null) {
				line = line.addKeyValue("idempotency.key_digest", key.digest())
					.addKeyValue("idempotency.client_key", IdempotencyKey.masked(key.clientKey()));
			}
			if (failure != null) {
				line = line.setCause(failure);
			}
			line.log();
		}

	}

}
