package dev.idempotency.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which final statuses are stored and replayed; any other releases the key, so that a
 * retry runs again. Written as ranges and exact statuses, each optionally negated:
 * {@code 2xx, 4xx, !409, !429} stores successes and client errors except a conflict and a
 * rate limit. A status is stored when a positive entry matches it and no negated one
 * does. Errors the container renders ({@code sendError}, an unhandled exception) are
 * never stored, whatever the policy.
 */
public final class StatusPolicy {

	/** Before the constants below, which are parsed with it. */
	private static final Pattern ENTRY = Pattern.compile("!?([1-5]xx|[1-5][0-9][0-9])");

	/** Only successes: a failed request may be corrected and retried under its key. */
	public static final StatusPolicy SUCCESSES = parse(List.of("2xx"));

	/** Every final status a handler wrote, as Stripe does. */
	public static final StatusPolicy EVERY_STATUS = parse(List.of("2xx", "3xx", "4xx", "5xx"));

	private final List<String> entries;

	private final List<Range> stored = new ArrayList<>();

	private final List<Range> excluded = new ArrayList<>();

	private StatusPolicy(List<String> entries) {
		this.entries = List.copyOf(entries);
		for (String entry : this.entries) {
			boolean negated = entry.startsWith("!");
			String status = negated ? entry.substring(1) : entry;
			int first = status.endsWith("xx") ? (status.charAt(0) - '0') * 100 : Integer.parseInt(status);
			int last = status.endsWith("xx") ? first + 99 : first;
			(negated ? excluded : stored).add(new Range(first, last));
		}
	}

	/**
	 * Reads a policy.
	 * @param entries such as {@code 2xx}, {@code 404} or {@code !409}
	 * @return the policy
	 * @throws IllegalArgumentException for an entry that is not a status or a range, or a
	 * policy that stores nothing
	 */
	public static StatusPolicy parse(List<String> entries) {
		List<String> normalized = new ArrayList<>();
		for (String entry : entries) {
			String value = entry.strip().toLowerCase(Locale.ROOT);
			if (!ENTRY.matcher(value).matches()) {
				throw new IllegalArgumentException(
						"'" + entry + "' is not a status (201), a range (4xx) " + "or an excluded one (!409, !5xx)");
			}
			normalized.add(value);
		}
		if (normalized.stream().allMatch((entry) -> entry.startsWith("!"))) {
			throw new IllegalArgumentException("A stored-statuses policy must store something, such as 2xx");
		}
		return new StatusPolicy(normalized);
	}

	/**
	 * Whether a response with this status is stored.
	 * @param status the final status
	 * @return whether it is stored and replayed
	 */
	public boolean stores(int status) {
		return stored.stream().anyMatch((range) -> range.contains(status))
				&& excluded.stream().noneMatch((range) -> range.contains(status));
	}

	@Override
	public String toString() {
		return String.join(", ", entries);
	}

	private record Range(int first, int last) {

		boolean contains(int status) {
			return status >= first && status <= last;
		}

	}

}
