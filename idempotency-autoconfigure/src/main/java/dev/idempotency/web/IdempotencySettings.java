package dev.idempotency.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.idempotency.Atomicity;
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
 * @param storedStatuses which final statuses are stored; others release the key
 * @param replayedHeaders response headers stored and replayed (case-insensitive)
 * @param maxRequestBodyBytes largest accepted body of an idempotent request
 * @param maxResponseBodyBytes largest response body that is stored
 * @param classLevelMethods HTTP methods a class-level {@code @Idempotent} applies to
 * @param atomicity whether endpoints' keys and results commit with their writes
 * ({@code SEPARATE} or {@code TRANSACTION})
 */
public record IdempotencySettings(String headerName, Duration retention, Duration lockTimeout, OnInFlight onInFlight,
		Duration maxWait, StatusPolicy storedStatuses, Set<String> replayedHeaders, long maxRequestBodyBytes,
		long maxResponseBodyBytes, Set<String> classLevelMethods, Atomicity atomicity) {

	/** Methods that never make an endpoint idempotent: they must not change anything. */
	public static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	/** Methods a class-level {@code @Idempotent} applies to by default. */
	public static final Set<String> DEFAULT_CLASS_LEVEL_METHODS = Set.of("POST", "PATCH");

	/**
	 * Headers replayed by default: those that describe the representation or the created
	 * resource. Never {@code Set-Cookie}, {@code Date} or rate-limit headers.
	 */
	public static final Set<String> DEFAULT_REPLAYED_HEADERS = Set.of("Content-Type", "Content-Language", "Location",
			"Content-Location", "ETag", "Last-Modified", "Link");

	/**
	 * Settings whose endpoints commit their key and result apart from their writes unless
	 * they say otherwise.
	 */
	public IdempotencySettings(String headerName, Duration retention, Duration lockTimeout, OnInFlight onInFlight,
			Duration maxWait, StatusPolicy storedStatuses, Set<String> replayedHeaders, long maxRequestBodyBytes,
			long maxResponseBodyBytes, Set<String> classLevelMethods) {
		this(headerName, retention, lockTimeout, onInFlight, maxWait, storedStatuses, replayedHeaders,
				maxRequestBodyBytes, maxResponseBodyBytes, classLevelMethods, Atomicity.SEPARATE);
	}

	public IdempotencySettings {
		if (onInFlight == OnInFlight.DEFAULT) {
			throw new IllegalArgumentException("The default in-flight policy must be REJECT or WAIT");
		}
		if (atomicity == Atomicity.DEFAULT) {
			throw new IllegalArgumentException("The default atomicity must be SEPARATE or TRANSACTION");
		}
		replayedHeaders = Set.copyOf(replayedHeaders);
		classLevelMethods = classLevelMethods.stream()
			.map((method) -> method.toUpperCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		for (String method : classLevelMethods) {
			if (SAFE_METHODS.contains(method)) {
				throw new IllegalArgumentException(
						method + " is a safe method and cannot be idempotent-protected (idempotency.methods)");
			}
		}
	}

}
