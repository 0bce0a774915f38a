package dev.idempotency.operation;

import java.time.Duration;

import dev.idempotency.OnInFlight;

/**
 * What operations that do not say otherwise get, from the {@code idempotency.*}
 * properties.
 *
 * @param lockTimeout how long a claim holds while the operation runs (renewed while it
 * does)
 * @param retention how long results are kept
 * @param onInFlight {@code REJECT} or {@code WAIT}
 * @param maxWait how long {@code WAIT} waits
 */
public record OperationDefaults(Duration lockTimeout, Duration retention, OnInFlight onInFlight, Duration maxWait) {

	public OperationDefaults {
		if (onInFlight == OnInFlight.DEFAULT) {
			throw new IllegalArgumentException("The default in-flight policy must be REJECT or WAIT");
		}
	}

}
