package dev.idempotency.observation;

import org.jspecify.annotations.Nullable;

/**
 * Tells the trace id of the calling thread's current span, so that an operation's stored
 * result remembers the trace that produced it: its replays carry it as
 * {@code idempotency.original.trace.id}, and the {@code idempotency} actuator endpoint
 * shows it. Auto-configured from micrometer-tracing's {@code Tracer} when the application
 * has one ({@link TracerTraceIdSource}); {@link #NONE} otherwise. Implementations are
 * thread-safe and cheap: the engine asks once per completed operation.
 */
@FunctionalInterface
public interface TraceIdSource {

	/** Knows no trace. */
	TraceIdSource NONE = () -> null;

	/**
	 * The trace id of the current span.
	 * @return the trace id, or {@code null} when no span is current
	 */
	@Nullable String currentTraceId();

}
