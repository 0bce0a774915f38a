package dev.idempotency.sample.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Results remembered by idempotency key, at most a fixed number of them: the oldest are
 * forgotten first, as a real gateway forgets keys after a while (Stripe after 24 hours),
 * so that a long-running sample keeps a bounded heap. Thread-safe; concurrent calls with
 * one key create its result once.
 *
 * @param <V> the result
 */
final class RememberedResults<V> {

	private final int capacity;

	private final Map<String, V> results = new ConcurrentHashMap<>();

	private final Queue<String> oldestFirst = new ConcurrentLinkedQueue<>();

	RememberedResults(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * The result remembered for the key, or a new one, remembered unless it fails.
	 * @param key the idempotency key
	 * @param create makes the result; may throw, then nothing is remembered
	 * @return the result
	 */
	V computeIfAbsent(String key, Supplier<V> create) {
		boolean[] created = new boolean[1];
		V result = results.computeIfAbsent(key, (absent) -> {
			V value = create.get();
			created[0] = true;
			return value;
		});
		if (created[0]) {
			oldestFirst.add(key);
			while (results.size() > capacity) {
				String oldest = oldestFirst.poll();
				if (oldest == null) {
					break;
				}
				results.remove(oldest);
			}
		}
		return result;
	}

	Optional<V> get(String key) {
		return Optional.ofNullable(results.get(key));
	}

	int size() {
		return results.size();
	}

}
