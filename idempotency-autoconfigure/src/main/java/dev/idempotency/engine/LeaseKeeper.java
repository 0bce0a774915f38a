package dev.idempotency.engine;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.idempotency.IdempotencyListener.LeaseRenewal;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.log.OperationLog;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the locks of running operations alive: each is renewed every third of its lock
 * timeout, so a long operation is never taken over while its process lives, and one
 * failed renewal (a store blip) still leaves a second chance before the lock lapses. A
 * process that dies stops renewing, and its keys free themselves after the lock timeout.
 * A renewal the store refuses (the lock expired and was taken over, or was evicted) ends
 * that lease; the operation's result will then be refused by the store's fencing.
 * <p>
 * One scheduler thread looks over the running operations every {@link #TICK}: an
 * operation costs an insertion into and a removal from a concurrent set, and one store
 * round trip per interval only if it outlives one; the thousands of short operations a
 * second of a busy service cost no scheduling at all.
 */
public final class LeaseKeeper implements AutoCloseable {

	/** How often running operations are looked over; also the shortest interval. */
	static final Duration TICK = Duration.ofMillis(100);

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private static final OperationLog operationLog = new OperationLog(LeaseKeeper.class);

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final Set<Lease> running = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService scheduler;

	private volatile boolean renewalsUnsupported;

	/**
	 * Creates a keeper with its own scheduler thread.
	 * @param store the store whose locks it renews
	 * @param listener hears every renewal
	 */
	public LeaseKeeper(IdempotencyStore store, IdempotencyListener listener) {
		this.store = store;
		this.listener = listener;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "idempotency-lease");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::renewDue, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The renewal interval for a lock timeout: a third of it, at least a tick.
	 * @param lockTimeout the lock timeout
	 * @return the interval
	 */
	static Duration interval(Duration lockTimeout) {
		Duration third = lockTimeout.dividedBy(3);
		return (third.compareTo(TICK) < 0) ? TICK : third;
	}

	Lease keep(IdempotentOperation operation, String lockToken) {
		Lease lease = new Lease(operation, lockToken);
		if (!renewalsUnsupported) {
			running.add(lease);
		}
		return lease;
	}

	/**
	 * A lease that is never renewed, for a claim that holds without it.
	 */
	Lease notRenewed(IdempotentOperation operation, String lockToken) {
		return new Lease(operation, lockToken);
	}

	@Override
	public void close() {
		scheduler.shutdownNow();
		running.clear();
	}

	private void renewDue() {
		long now = System.nanoTime();
		for (Lease lease : running) {
			if (now - lease.dueNanos >= 0) {
				lease.renew();
			}
		}
	}

	/** One running operation's lease. */
	final class Lease {

		private final IdempotentOperation operation;

		private final String lockToken;

		private final long intervalNanos;

		private volatile long dueNanos;

		private volatile boolean lost;

		private Lease(IdempotentOperation operation, String lockToken) {
			this.operation = operation;
			this.lockToken = lockToken;
			this.intervalNanos = interval(operation.policy().lockTimeout()).toNanos();
			this.dueNanos = System.nanoTime() + intervalNanos;
		}

		boolean isLost() {
			return lost;
		}

		void stop() {
			running.remove(this);
		}

		private void renew() {
			long started = System.nanoTime();
			try {
				if (store.renew(operation.key(), lockToken, operation.policy().lockTimeout())) {
					dueNanos = started + intervalNanos;
					listener.onLeaseRenewal(operation.name(), LeaseRenewal.RENEWED);
					return;
				}
				lost = true;
				stop();
				operationLog.warn("lock_lost", operation.name(), operation.key(), "Lock of " + operation.key()
						+ " was lost while it ran (expired or evicted); its result will not be stored", null);
				listener.onLeaseRenewal(operation.name(), LeaseRenewal.LOST);
			}
			catch (UnsupportedOperationException ex) {
				// A store written before renewals existed: locks hold their first
				// timeout.
				renewalsUnsupported = true;
				running.clear();
				logger.info(store + " does not renew locks: operations keep their first lock timeout");
			}
			catch (RuntimeException ex) {
				// Try again at the next tick: the lock has most of a third left, and
				// another.
				if (!(ex instanceof IdempotencyStoreException)) {
					logger.error("Renewing the lock of " + operation.key() + " failed", ex);
				}
				listener.onLeaseRenewal(operation.name(), LeaseRenewal.FAILED);
			}
		}

	}

}
