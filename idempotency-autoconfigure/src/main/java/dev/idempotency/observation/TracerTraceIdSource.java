package dev.idempotency.observation;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * The trace id of micrometer-tracing's current span: within an operation observed through
 * a tracing bridge, the operation's own trace.
 */
public class TracerTraceIdSource implements TraceIdSource {

	private final Tracer tracer;

	public TracerTraceIdSource(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public @Nullable String currentTraceId() {
		Span span = tracer.currentSpan();
		if (span == null) {
			return null;
		}
		String traceId = span.context().traceId();
		return (traceId == null || traceId.isEmpty()) ? null : traceId;
	}

}
