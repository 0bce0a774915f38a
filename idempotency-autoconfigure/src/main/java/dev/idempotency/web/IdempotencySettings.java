package dev.idempotency.web;

import java.time.Duration;
import java.util.Set;

import dev.idempotency.OnInFlight;

/**
 * The web layer's defaults, which {@code @Idempotent} attributes override per endpoint.
 *
 * @param headerName the header that carries the key
 * @param retention how long completed responses are kept
 * @param lockTimeout how long a running request holds its key
 * @param onInFlight what a request does when its key is in flight ({@code REJECT} or
 * {@code WAIT})
 * @param maxWait how long {@code WAIT} waits before answering {@code 409}
 * @param storeErrors whether 4xx and 5xx responses are stored rather than releasing the
 * key
 * @param replayedHeaders response headers stored and replayed (case-insensitive)
 * @param maxRequestBodyBytes largest accepted body of an idempotent request
 * @param maxResponseBodyBytes largest response body that is stored
 */
public record IdempotencySettings(String headerName, Duration retention, Duration lockTimeout, OnInFlight onInFlight,
		Duration maxWait, boolean storeErrors, Set<String> replayedHeaders, long maxRequestBodyBytes,
		long maxResponseBodyBytes) {

	/**
	 * Headers replayed by default: those that describe the representation or the created
	 * resource. Never {@code Set-Cookie}, {@code Date} or rate-limit headers.
	 */
	public static final Set<String> DEFAULT_REPLAYED_HEADERS = Set.of("Content-Type", "Content-Language", "Location",
			"Content-Location", "ETag", "Last-Modified", "Link");

	public IdempotencySettings {
		if (onInFlight == OnInFlight.DEFAULT) {
			throw new IllegalArgumentException("The default in-flight policy must be REJECT or WAIT");
		}
		replayedHeaders = Set.copyOf(replayedHeaders);
	}

}
