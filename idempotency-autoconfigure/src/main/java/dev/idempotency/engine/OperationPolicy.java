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
 * @param inTransaction whether the claim, the operation's writes and its result commit in
 * one transaction (see {@link OperationTransactions})
 */
public record OperationPolicy(Duration lockTimeout, Duration retention, boolean waitWhenInFlight, Duration maxWait,
		boolean inTransaction) {

	public OperationPolicy {
		Assert.isTrue(!lockTimeout.isNegative() && !lockTimeout.isZero(), "lockTimeout must be positive");
		Assert.isTrue(!retention.isNegative() && !retention.isZero(), "retention must be positive");
		Assert.isTrue(!maxWait.isNegative(), "maxWait must not be negative");
	}

	/**
	 * A policy whose claim and result commit apart from the operation's writes.
	 * @param lockTimeout how long a claim holds while the operation runs
	 * @param retention how long a completed result is kept
	 * @param waitWhenInFlight whether a duplicate waits for the running execution
	 * @param maxWait how long a duplicate waits at most
	 */
	public OperationPolicy(Duration lockTimeout, Duration retention, boolean waitWhenInFlight, Duration maxWait) {
		this(lockTimeout, retention, waitWhenInFlight, maxWait, false);
	}

}
