package dev.idempotency.store;

import java.time.Duration;

/**
 * Stops calling a failing layer for a while, so that requests do not each pay its
 * timeout; after the pause the next call probes it again. Deliberately minimal: one
 * failure opens it, one success closes it, and concurrent probes are allowed (each is
 * bounded by the layer's own timeout).
 */
final class LayerBreaker {

	private final long openNanos;

	private volatile long openUntil;

	private volatile boolean open;

	LayerBreaker(Duration openFor) {
		this.openNanos = openFor.toNanos();
	}

	boolean allowsCall() {
		return !open || System.nanoTime() - openUntil >= 0;
	}

	void recordFailure() {
		openUntil = System.nanoTime() + openNanos;
		open = true;
	}

	void recordSuccess() {
		open = false;
	}

	boolean isOpen() {
		return open;
	}

}
