package dev.idempotency.operation;

import java.time.Duration;

import dev.idempotency.Atomicity;
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
 * @param atomicity {@code SEPARATE} or {@code TRANSACTION}
 */
public record OperationDefaults(Duration lockTimeout, Duration retention, OnInFlight onInFlight, Duration maxWait,
		Atomicity atomicity) {

	public OperationDefaults {
		if (onInFlight == OnInFlight.DEFAULT) {
			throw new IllegalArgumentException("The default in-flight policy must be REJECT or WAIT");
		}
		if (atomicity == Atomicity.DEFAULT) {
			throw new IllegalArgumentException("The default atomicity must be SEPARATE or TRANSACTION");
		}
	}

	/**
	 * Defaults whose operations commit their key and result apart from their writes.
	 * @param lockTimeout how long a claim holds while the operation runs
	 * @param retention how long results are kept
	 * @param onInFlight {@code REJECT} or {@code WAIT}
	 * @param maxWait how long {@code WAIT} waits
	 */
	public OperationDefaults(Duration lockTimeout, Duration retention, OnInFlight onInFlight, Duration maxWait) {
		this(lockTimeout, retention, onInFlight, maxWait, Atomicity.SEPARATE);
	}

}
