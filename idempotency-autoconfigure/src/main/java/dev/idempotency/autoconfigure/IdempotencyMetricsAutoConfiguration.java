package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.metrics.MicrometerIdempotencyListener;
import dev.idempotency.store.DegradableStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters, when the application has a {@link MeterRegistry}. Actuator's classes
 * are named by string so that actuator stays optional.
 */
@AutoConfiguration(before = IdempotencyAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "idempotency.enabled", matchIfMissing = true)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class IdempotencyMetricsAutoConfiguration {

	static final String DEGRADED = "idempotency.store.degraded";

	@Bean
	@ConditionalOnMissingBean(IdempotencyListener.class)
	MicrometerIdempotencyListener idempotencyListener(MeterRegistry registry) {
		return new MicrometerIdempotencyListener(registry);
	}

	/**
	 * {@value #DEGRADED}: 1 while the store goes on without one of its layers (a
	 * two-layer store whose Redis breaker is open), else 0. Registered directly rather
	 * than as a {@code MeterBinder} so that it exists without actuator's binder support
	 * too.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "idempotencyStoreDegradedGauge")
	Gauge idempotencyStoreDegradedGauge(MeterRegistry registry, ObjectProvider<DegradableStore> stores) {
		return Gauge.builder(DEGRADED, stores, IdempotencyMetricsAutoConfiguration::degraded)
			.description("1 while the two-layer store runs on its database alone")
			.strongReference(true)
			.register(registry);
	}

	private static double degraded(ObjectProvider<DegradableStore> stores) {
		return stores.stream().anyMatch(DegradableStore::isDegraded) ? 1 : 0;
	}

}
