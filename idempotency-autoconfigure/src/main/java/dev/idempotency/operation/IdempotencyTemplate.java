package dev.idempotency.operation;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import dev.idempotency.Atomicity;
import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.OnInFlight;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyContext;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.OperationPolicy;
import dev.idempotency.engine.RunningOperation;
import dev.idempotency.engine.Sha256;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Runs code under an idempotency key, in the spirit of {@code TransactionTemplate}: the
 * first call with a key runs it and stores its result; a duplicate gets the stored result
 * back (read into the same type with the application's {@code JsonMapper}) and the code
 * does not run again.
 *
 * <pre class="code">
 * Refund refund = template.call("refunds", messageId)
 *     .scope(merchantId)
 *     .input(request)
 *     .execute(Refund.class, () -&gt; refunds.create(request));
 * </pre>
 *
 * A duplicate while the first call still runs throws {@link IdempotencyInFlightException}
 * (or waits, with {@link Call#waitWhenInFlight}); the same key with another input throws
 * {@link IdempotencyKeyReusedException}; a store failure throws
 * {@link IdempotencyStoreException} and nothing runs. Code that throws frees the key, so
 * a retry runs it again. Thread-safe.
 */
public final class IdempotencyTemplate {

	/** The scope of calls that name none. */
	static final String NO_SCOPE = "-";

	private final IdempotencyEngine engine;

	private final ResultCodec codec;

	private final OperationDefaults defaults;

	/**
	 * Creates a template.
	 * @param engine the engine
	 * @param codec stores results and fingerprints inputs
	 * @param defaults what calls that do not say otherwise get
	 */
	public IdempotencyTemplate(IdempotencyEngine engine, ResultCodec codec, OperationDefaults defaults) {
		this.engine = engine;
		this.codec = codec;
		this.defaults = defaults;
	}

	/**
	 * Starts a call.
	 * @param name the operation's name: part of the key, and the metrics' tag (keep the
	 * number of names small)
	 * @param key the caller's key, such as a message id
	 * @return the call, to refine and execute
	 */
	public Call call(String name, String key) {
		return new Call(name, key);
	}

	ResultCodec codec() {
		return codec;
	}

	@Nullable Object execute(IdempotentOperation operation, Type resultType, Action action) throws Throwable {
		Claim claim = engine.claim(operation);
		if (claim instanceof Claim.Replay replay) {
			return codec.decode(replay.response(), resultType);
		}
		RunningOperation running = ((Claim.Run) claim).operation();
		Object result;
		try (IdempotencyContext.Scope bound = IdempotencyContext.bind(running)) {
			result = action.run();
		}
		catch (Throwable ex) {
			running.release(true);
			throw ex;
		}
		if (running.complete(codec.encode(result)) == Completion.ROLLED_BACK) {
			throw new IdempotencyStoreException("The transaction of " + operation.name()
					+ " could not commit: its writes were rolled back and its key is free, so it may be retried");
		}
		return result;
	}

	/** Shortens what does not fit the key's parts: long keys stay distinct as digests. */
	static String fitting(String value, int max) {
		if (value.length() <= max) {
			return value;
		}
		return "sha256:" + Sha256.hex(value);
	}

	IdempotentOperation operation(String name, String key, @Nullable String scope, List<@Nullable Object> input,
			OperationPolicy policy) {
		Assert.hasText(name, "name must not be empty");
		Assert.hasText(key, "key must not be empty");
		IdempotencyKey scoped = new IdempotencyKey(
				(scope != null && !scope.isEmpty()) ? fitting(scope, IdempotencyKey.MAX_SCOPE_LENGTH) : NO_SCOPE,
				fitting(name, IdempotencyKey.MAX_ENDPOINT_LENGTH), fitting(key, IdempotencyKey.MAX_CLIENT_KEY_LENGTH));
		return new IdempotentOperation(scoped, codec.fingerprint(input), name, policy);
	}

	OperationPolicy policy(@Nullable Duration lockTimeout, @Nullable Duration retention, OnInFlight onInFlight,
			Atomicity atomicity) {
		OnInFlight resolved = (onInFlight != OnInFlight.DEFAULT) ? onInFlight : defaults.onInFlight();
		Atomicity resolvedAtomicity = (atomicity != Atomicity.DEFAULT) ? atomicity : defaults.atomicity();
		return new OperationPolicy((lockTimeout != null) ? lockTimeout : defaults.lockTimeout(),
				(retention != null) ? retention : defaults.retention(), resolved == OnInFlight.WAIT, defaults.maxWait(),
				resolvedAtomicity == Atomicity.TRANSACTION);
	}

	/** Code run under a key; may throw anything, which is rethrown as is. */
	@FunctionalInterface
	interface Action {

		@Nullable Object run() throws Throwable;

	}

	/**
	 * One call under a key, refined before it is executed. Not thread-safe; build one per
	 * call.
	 */
	public final class Call {

		private final String name;

		private final String key;

		private @Nullable String scope;

		private List<@Nullable Object> input = List.of();

		private @Nullable Duration lockTimeout;

		private @Nullable Duration retention;

		private OnInFlight onInFlight = OnInFlight.DEFAULT;

		private Atomicity atomicity = Atomicity.DEFAULT;

		private Call(String name, String key) {
			this.name = name;
			this.key = key;
		}

		/**
		 * Scopes the key, such as by tenant: the same key in two scopes is two calls.
		 * @param scope the scope
		 * @return this call
		 */
		public Call scope(String scope) {
			this.scope = scope;
			return this;
		}

		/**
		 * The input that identifies the call: a duplicate with the same key and another
		 * input is refused. Written as JSON to be compared. None by default.
		 * @param values the values
		 * @return this call
		 */
		public Call input(@Nullable Object... values) {
			this.input = new ArrayList<>(Arrays.asList(values));
			return this;
		}

		/**
		 * How long the claim holds while the code runs; it is renewed while it does.
		 * @param lockTimeout the lock timeout
		 * @return this call
		 */
		public Call lockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
			return this;
		}

		/**
		 * How long the result is kept.
		 * @param retention the retention
		 * @return this call
		 */
		public Call retention(Duration retention) {
			this.retention = retention;
			return this;
		}

		/**
		 * Makes a duplicate wait for a running first call's result, rather than throw
		 * {@link IdempotencyInFlightException} at once.
		 * @return this call
		 */
		public Call waitWhenInFlight() {
			this.onInFlight = OnInFlight.WAIT;
			return this;
		}

		/**
		 * Commits the claim, the code's writes through the application's transaction
		 * manager and the stored result as one transaction (which the code's own
		 * {@code @Transactional} methods join), or nothing at all: if the code throws or
		 * the commit fails, its writes are rolled back and the key is free.
		 * @return this call
		 */
		public Call inTransaction() {
			this.atomicity = Atomicity.TRANSACTION;
			return this;
		}

		/**
		 * Runs the code, or hands back the result of the call that ran it.
		 * @param <T> the result's type
		 * @param resultType the result's type, to read a stored result into
		 * @param action the code
		 * @return its result, or the stored one
		 */
		public <T> @Nullable T execute(Class<T> resultType, Supplier<@Nullable T> action) {
			return resultType.cast(executeAs(resultType, action));
		}

		/**
		 * Runs the code, or hands back the result of the call that ran it, for generic
		 * result types such as {@code List<Refund>}.
		 * @param resultType the result's type
		 * @param action the code
		 * @return its result, or the stored one
		 */
		public @Nullable Object executeAs(Type resultType, Supplier<?> action) {
			try {
				return IdempotencyTemplate.this.execute(operation(name, key, scope, input, policy()), resultType,
						action::get);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Runs code without a result, or does nothing if it ran.
		 * @param action the code
		 */
		public void run(Runnable action) {
			executeAs(void.class, () -> {
				action.run();
				return null;
			});
		}

		private OperationPolicy policy() {
			return IdempotencyTemplate.this.policy(lockTimeout, retention, onInFlight, atomicity);
		}

	}

}
