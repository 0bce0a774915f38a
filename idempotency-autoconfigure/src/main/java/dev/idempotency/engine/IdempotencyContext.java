package dev.idempotency.engine;

import java.util.Optional;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The operation running on the current thread, for code inside it that needs its key or
 * fencing token (a downstream write, a key forwarded to another service). Bound by the
 * method interceptor and the template for the call, and by the web adapter for the
 * handler's own thread.
 */
public final class IdempotencyContext {

	private static final ThreadLocal<@Nullable RunningOperation> CURRENT = new ThreadLocal<>();

	private IdempotencyContext() {
	}

	/**
	 * The operation running on this thread.
	 * @return it, or empty outside an idempotent operation
	 */
	public static Optional<RunningOperation> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	/**
	 * Binds an operation to this thread until the returned scope is closed, and makes its
	 * observation the current one, so that the spans of the code it runs nest under it.
	 * @param operation the operation
	 * @return the scope, to close in a {@code finally} (try-with-resources) on this same
	 * thread
	 */
	public static Scope bind(RunningOperation operation) {
		RunningOperation previous = CURRENT.get();
		CURRENT.set(operation);
		Observation.Scope observed = operation.observation().openScope();
		return () -> {
			observed.close();
			if (previous != null) {
				CURRENT.set(previous);
			}
			else {
				CURRENT.remove();
			}
		};
	}

	/** Restores what was bound before. */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
