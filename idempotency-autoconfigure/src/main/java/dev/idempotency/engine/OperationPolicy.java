package dev.idempotency.engine;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How one idempotent operation holds and keeps its key.
 *
 * @param lockTimeout how long a claim holds while the operation runs; the engine renews
 * it while the operation is alive, so a crashed process frees the key after this
 * @param retention how long a completed result is kept and replayed
 * @param waitWhenInFlight whether a duplicate waits for the running execution's result
 * rather than failing at once
 * @param maxWait how long a duplicate waits at most
 */
public record OperationPolicy(Duration lockTimeout, Duration retention, boolean waitWhenInFlight, Duration maxWait) {

	public OperationPolicy {
		Assert.isTrue(!lockTimeout.isNegative() && !lockTimeout.isZero(), "lockTimeout must be positive");
		Assert.isTrue(!retention.isNegative() && !retention.isZero(), "retention must be positive");
		Assert.isTrue(!maxWait.isNegative(), "maxWait must not be negative");
	}

}
