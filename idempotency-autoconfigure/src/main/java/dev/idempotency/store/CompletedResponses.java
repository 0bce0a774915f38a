package dev.idempotency.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.idempotency.ClaimResult;
import org.jspecify.annotations.Nullable;

/**
 * The bounded map of completed responses behind a {@link NearCachedIdempotencyStore},
 * keyed by the key's digest. A lookup is one {@link ConcurrentHashMap#get}, a clock read
 * and a fingerprint comparison; it allocates nothing and takes no lock.
 * <p>
 * Each entry expires at the earlier of its time to live and the time the store said it
 * keeps the response (monotonic clock). Bounded by a number of entries and by the body
 * bytes of all entries: an insert that takes the map past either bound sweeps it,
 * removing the expired entries and then, while either is above nine tenths of its bound,
 * arbitrary ones (hash order, unrelated to age or use): sweeps are rare, and each scans
 * the map at most twice. One thread sweeps at a time; inserts racing it may exceed the
 * bounds by about one entry each.
 */
final class CompletedResponses {

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final AtomicLong bodyBytes = new AtomicLong();

	private final AtomicBoolean sweeping = new AtomicBoolean();

	private final LongSupplier nanoClock;

	private volatile int maxEntries;

	private volatile long maxTotalSize;

	private volatile int maxResponseSize;

	private volatile long timeToLiveNanos;

	CompletedResponses(LongSupplier nanoClock, int maxEntries, long maxTotalSize, int maxResponseSize,
			Duration timeToLive) {
		this.nanoClock = nanoClock;
		setMaxEntries(maxEntries);
		setMaxTotalSize(maxTotalSize);
		setMaxResponseSize(maxResponseSize);
		setTimeToLive(timeToLive);
	}

	void setMaxEntries(int maxEntries) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be positive");
		}
		this.maxEntries = maxEntries;
	}

	void setMaxTotalSize(long maxTotalSize) {
		if (maxTotalSize < 1) {
			throw new IllegalArgumentException("maxTotalSize must be positive");
		}
		this.maxTotalSize = maxTotalSize;
	}

	void setMaxResponseSize(int maxResponseSize) {
		if (maxResponseSize < 0) {
			throw new IllegalArgumentException("maxResponseSize must not be negative");
		}
		this.maxResponseSize = maxResponseSize;
	}

	void setTimeToLive(Duration timeToLive) {
		if (timeToLive.isNegative() || timeToLive.isZero()) {
			throw new IllegalArgumentException("timeToLive must be positive");
		}
		this.timeToLiveNanos = nanos(timeToLive);
	}

	Duration timeToLive() {
		return Duration.ofNanos(timeToLiveNanos);
	}

	int maxEntries() {
		return maxEntries;
	}

	/**
	 * The completed answer kept for the digest, if it is unexpired and was stored for the
	 * same fingerprint.
	 */
	ClaimResult.@Nullable Completed get(String digest, String fingerprint) {
		Entry entry = entries.get(digest);
		if (entry == null) {
			return null;
		}
		if (nanoClock.getAsLong() - entry.expiresAt >= 0) {
			remove(digest, entry);
			return null;
		}
		return entry.fingerprint.equals(fingerprint) ? entry.answer : null;
	}

	/**
	 * Keeps the answer for the time to live, and no longer than the store said it keeps
	 * the response; an answer whose body is larger than the bound is not kept.
	 */
	void put(String digest, String fingerprint, ClaimResult.Completed answer) {
		int size = answer.response().bodyLength();
		Duration retainedFor = answer.retainedFor();
		long ttl = (retainedFor != null) ? Math.min(timeToLiveNanos, nanos(retainedFor)) : timeToLiveNanos;
		if (size > maxResponseSize || size > maxTotalSize || ttl <= 0) {
			return;
		}
		Entry entry = new Entry(fingerprint, answer, nanoClock.getAsLong() + ttl, size);
		Entry previous = entries.put(digest, entry);
		bodyBytes.addAndGet(size - ((previous != null) ? previous.size : 0));
		if (entries.size() > maxEntries || bodyBytes.get() > maxTotalSize) {
			sweep();
		}
	}

	/**
	 * Removes the digest's entry.
	 * @return whether an unexpired entry was removed
	 */
	boolean remove(String digest) {
		Entry removed = entries.remove(digest);
		if (removed == null) {
			return false;
		}
		bodyBytes.addAndGet(-removed.size);
		return nanoClock.getAsLong() - removed.expiresAt < 0;
	}

	int size() {
		return entries.size();
	}

	long bodyBytes() {
		return bodyBytes.get();
	}

	private void remove(String digest, Entry entry) {
		if (entries.remove(digest, entry)) {
			bodyBytes.addAndGet(-entry.size);
		}
	}

	private void sweep() {
		if (!sweeping.compareAndSet(false, true)) {
			return;
		}
		try {
			long now = nanoClock.getAsLong();
			int entryTarget = maxEntries - maxEntries / 10;
			long byteTarget = maxTotalSize - maxTotalSize / 10;
			entries.forEach((digest, entry) -> {
				if (now - entry.expiresAt >= 0) {
					remove(digest, entry);
				}
			});
			for (Map.Entry<String, Entry> candidate : entries.entrySet()) {
				if (entries.size() <= entryTarget && bodyBytes.get() <= byteTarget) {
					break;
				}
				remove(candidate.getKey(), candidate.getValue());
			}
		}
		finally {
			sweeping.set(false);
		}
	}

	private static long nanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

	private record Entry(String fingerprint, ClaimResult.Completed answer, long expiresAt, int size) {
	}

}
