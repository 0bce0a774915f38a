package dev.idempotency.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Deletes expired rows of a {@link JdbcIdempotencyStore} periodically, in bounded batches
 * so that no statement holds many locks. Every instance of an application may run one:
 * batches skip rows another instance is deleting, and a random first delay spreads the
 * instances out.
 */
public class JdbcExpiredRecordsCleaner implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(JdbcExpiredRecordsCleaner.class);

	/** Bounds one run, so a huge backlog is worked off over several runs. */
	static final int MAX_BATCHES_PER_RUN = 100;

	private final JdbcIdempotencyStore store;

	private final Duration interval;

	private final int batchSize;

	private @Nullable ScheduledExecutorService executor;

	public JdbcExpiredRecordsCleaner(JdbcIdempotencyStore store, Duration interval, int batchSize) {
		if (interval.isNegative() || interval.isZero() || batchSize < 1) {
			throw new IllegalArgumentException("Cleanup needs a positive interval and batch size");
		}
		this.store = store;
		this.interval = interval;
		this.batchSize = batchSize;
	}

	/**
	 * Deletes expired rows, batch by batch, until a batch finds fewer than a full batch.
	 * @return how many rows were deleted
	 */
	public int cleanUp() {
		int deleted = 0;
		for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
			int count = store.deleteExpired(batchSize);
			deleted += count;
			if (count < batchSize) {
				break;
			}
		}
		return deleted;
	}

	private void cleanUpQuietly() {
		try {
			int deleted = cleanUp();
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " expired idempotency records from " + store.getTableName());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete expired idempotency records; will try again in " + interval, ex);
		}
	}

	@Override
	public synchronized void start() {
		if (executor == null) {
			executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "idempotency-cleanup");
				thread.setDaemon(true);
				return thread;
			});
			long period = interval.toMillis();
			executor.scheduleWithFixedDelay(this::cleanUpQuietly, ThreadLocalRandom.current().nextLong(period), period,
					TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (executor != null) {
			executor.shutdownNow();
			executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return executor != null;
	}

}
