package dev.idempotency.engine;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.LeaseRenewal;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the locks of running operations alive: each is renewed every third of its lock
 * timeout on one shared scheduler thread, so a long operation is never taken over while
 * its process lives, and one failed renewal (a store blip) still leaves a second chance
 * before the lock lapses. A process that dies stops renewing, and its keys free
 * themselves after the lock timeout. A renewal the store refuses (the lock expired and
 * was taken over, or was evicted) stops that lease for good; the operation's result will
 * then be refused by the store's fencing.
 * <p>
 * Costs one store round trip per running operation per interval, and nothing for
 * operations shorter than one interval.
 */
public final class LeaseKeeper implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	/** Renewals closer together would cost round trips and win nothing. */
	private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(50);

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final ScheduledExecutorService scheduler;

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
	}

	/**
	 * The renewal interval for a lock timeout: a third of it.
	 * @param lockTimeout the lock timeout
	 * @return the interval
	 */
	static Duration interval(Duration lockTimeout) {
		Duration third = lockTimeout.dividedBy(3);
		return (third.compareTo(SHORTEST_INTERVAL) < 0) ? SHORTEST_INTERVAL : third;
	}

	Lease keep(IdempotentOperation operation, String lockToken) {
		Lease lease = new Lease(operation, lockToken);
		long millis = interval(operation.policy().lockTimeout()).toMillis();
		lease.renewal = scheduler.scheduleWithFixedDelay(lease::renew, millis, millis, TimeUnit.MILLISECONDS);
		return lease;
	}

	@Override
	public void close() {
		scheduler.shutdownNow();
	}

	/** One running operation's lease. */
	final class Lease {

		private final IdempotentOperation operation;

		private final String lockToken;

		private volatile boolean lost;

		private volatile boolean stopped;

		private volatile ScheduledFuture<?> renewal;

		private Lease(IdempotentOperation operation, String lockToken) {
			this.operation = operation;
			this.lockToken = lockToken;
		}

		boolean isLost() {
			return lost;
		}

		void stop() {
			stopped = true;
			ScheduledFuture<?> scheduled = renewal;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

		private void renew() {
			if (stopped) {
				return;
			}
			try {
				if (store.renew(operation.key(), lockToken, operation.policy().lockTimeout())) {
					listener.onLeaseRenewal(operation.name(), LeaseRenewal.RENEWED);
					return;
				}
				lost = true;
				stop();
				logger.warn("Lock of " + operation.key() + " was lost while it ran (expired or evicted); "
						+ "its result will not be stored");
				listener.onLeaseRenewal(operation.name(), LeaseRenewal.LOST);
			}
			catch (UnsupportedOperationException ex) {
				// A store written before renewals existed: the lock holds its first
				// timeout.
				stop();
			}
			catch (IdempotencyStoreException ex) {
				// Try again at the next interval: the lock has two more before it lapses.
				logger.debug("Could not renew the lock of " + operation.key(), ex);
				listener.onLeaseRenewal(operation.name(), LeaseRenewal.FAILED);
			}
			catch (RuntimeException ex) {
				logger.error("Renewing the lock of " + operation.key() + " failed", ex);
				listener.onLeaseRenewal(operation.name(), LeaseRenewal.FAILED);
			}
		}

	}

}
