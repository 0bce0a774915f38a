package dev.idempotency.autoconfigure;

import dev.idempotency.observation.TraceIdSource;
import dev.idempotency.observation.TracerTraceIdSource;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With micrometer-tracing, completed operations keep the trace id they ran in, unless
 * {@code idempotency.response.store-trace-id=false}. The application's {@link Tracer} is
 * looked up when the source is created, whichever auto-configuration defined it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Tracer.class)
@ConditionalOnBooleanProperty(name = "idempotency.response.store-trace-id", matchIfMissing = true)
class TraceIdSourceConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TraceIdSource idempotencyTraceIdSource(ObjectProvider<Tracer> tracer) {
		Tracer unique = tracer.getIfUnique();
		return (unique != null) ? new TracerTraceIdSource(unique) : TraceIdSource.NONE;
	}

}
