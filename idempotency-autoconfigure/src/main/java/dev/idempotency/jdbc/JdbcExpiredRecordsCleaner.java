package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes a {@link JdbcIdempotencyStore}'s expired rows periodically, on one daemon
 * thread. Each run deletes batch after batch until a batch is not full (at most
 * {@value #MAX_BATCHES_PER_RUN} batches), so no statement holds many locks for long. The
 * first run waits a random part of the interval, so instances started together do not
 * clean together; running on every instance at once is safe anyway. Failures are logged
 * and the next run tries again.
 */
public class JdbcExpiredRecordsCleaner implements SmartLifecycle {

	/** Bound on the batches of one run; the rest waits for the next run. */
	public static final int MAX_BATCHES_PER_RUN = 100;

	private static final Log logger = LogFactory.getLog(JdbcExpiredRecordsCleaner.class);

	private final JdbcIdempotencyStore store;

	private final Duration interval;

	private final int batchSize;

	private @Nullable ScheduledExecutorService executor;

	private volatile boolean running;

	public JdbcExpiredRecordsCleaner(JdbcIdempotencyStore store, Duration interval, int batchSize) {
		if (interval.toMillis() < 1 || batchSize < 1) {
			throw new IllegalArgumentException("interval and batchSize must be positive");
		}
		this.store = store;
		this.interval = interval;
		this.batchSize = batchSize;
	}

	@Override
	public synchronized void start() {
		if (executor != null) {
			return;
		}
		running = true;
		executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "idempotency-jdbc-cleaner");
			thread.setDaemon(true);
			return thread;
		});
		long jitter = ThreadLocalRandom.current().nextLong(interval.toMillis() + 1);
		executor.scheduleWithFixedDelay(this::cleanUpAndLog, jitter, interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		running = false;
		if (executor != null) {
			// No interrupt: a statement in progress finishes, then the run sees
			// running=false.
			executor.shutdown();
			executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return executor != null;
	}

	/**
	 * Deletes expired rows now, batch after batch until a batch is not full.
	 * @return how many rows were deleted
	 */
	public int cleanUp() {
		return cleanUp(() -> true);
	}

	private int cleanUp(BooleanSupplier keepGoing) {
		int total = 0;
		for (int batch = 0; batch < MAX_BATCHES_PER_RUN && keepGoing.getAsBoolean(); batch++) {
			int deleted = store.deleteExpired(batchSize);
			total += deleted;
			if (deleted < batchSize) {
				break;
			}
		}
		return total;
	}

	private void cleanUpAndLog() {
		try {
			int deleted = cleanUp(() -> running);
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " expired idempotency records from " + store.getTableName());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete expired idempotency records from " + store.getTableName()
					+ "; trying again in " + interval, ex);
		}
	}

}
