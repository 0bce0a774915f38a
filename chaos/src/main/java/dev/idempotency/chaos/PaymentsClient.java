package dev.idempotency.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Behaves like a real payments client: every logical payment has one idempotency key,
 * sent on every attempt; timeouts, connection failures, {@code 5xx} and {@code 409} are
 * retried with exponential backoff and full jitter, bounded in attempts and time per
 * payment. Records every success's payment id per key, and every {@code 5xx} that is not
 * a documented {@code 503} ({@code store-unavailable}, {@code rolled-back}, or the
 * sample's {@code database-unavailable}).
 */
final class PaymentsClient {

	/** The starter's documented 503: the idempotency store cannot record the key. */
	static final String STORE_UNAVAILABLE = "https://idempotency.dev/problems/store-unavailable";

	/**
	 * The starter's documented 503 in transactional mode: the commit failed, nothing was
	 * kept.
	 */
	static final String ROLLED_BACK = "https://idempotency.dev/problems/rolled-back";

	/** The sample app's documented 503: its own database went away mid-request. */
	static final String DATABASE_UNAVAILABLE = "https://idempotency.dev/sample/problems/database-unavailable";

	private static final Set<String> DOCUMENTED_503 = Set.of(STORE_UNAVAILABLE, ROLLED_BACK, DATABASE_UNAVAILABLE);

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(pay_[A-Za-z0-9]+)\"");

	private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

	private final Settings settings;

	private final Supplier<String> baseUrls;

	private final HttpClient http;

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger finished = new AtomicInteger();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong conflicts = new AtomicLong();

	private final AtomicLong unavailable = new AtomicLong();

	private final AtomicLong ioFailures = new AtomicLong();

	private final AtomicLong maxRequestNanos = new AtomicLong();

	private final AtomicLong maxPaymentNanos = new AtomicLong();

	private final Map<String, Set<String>> successIds = new ConcurrentHashMap<>();

	private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

	private final List<String> gaveUp = java.util.Collections.synchronizedList(new ArrayList<>());

	/**
	 * @param payments logical payments
	 * @param workers concurrent clients
	 * @param requestTimeout per attempt
	 * @param maxAttempts attempts per payment
	 * @param maxPaymentTime time per payment, retries included
	 * @param keyPrefix makes the keys unique to a run and scenario
	 * @param ratePerSecond new payments started per second at most, so the load spans the
	 * fault
	 */
	record Settings(int payments, int workers, Duration requestTimeout, int maxAttempts, Duration maxPaymentTime,
			String keyPrefix, double ratePerSecond) {
	}

	PaymentsClient(Settings settings, Supplier<String> baseUrls) {
		this.settings = settings;
		this.baseUrls = baseUrls;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofMillis(500))
			.build();
	}

	String key(int index) {
		return settings.keyPrefix() + String.format("%05d", index);
	}

	/**
	 * Runs every payment to the end; returns when all are done or the bound is reached.
	 */
	void run() throws InterruptedException {
		ExecutorService pool = Executors.newFixedThreadPool(settings.workers());
		long begin = System.nanoTime();
		for (int w = 0; w < settings.workers(); w++) {
			pool.execute(() -> {
				int index;
				while ((index = started.getAndIncrement()) < settings.payments()) {
					long due = begin + (long) (index * 1_000_000_000L / settings.ratePerSecond());
					long early = due - System.nanoTime();
					if (early > 0) {
						try {
							Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							return;
						}
					}
					pay(key(index));
					finished.incrementAndGet();
				}
			});
		}
		pool.shutdown();
		long bound = (long) (settings.payments() * 1000 / settings.ratePerSecond())
				+ settings.maxPaymentTime().toMillis() * (settings.payments() / settings.workers() + 2);
		if (!pool.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
			pool.shutdownNow();
			throw new IllegalStateException("Client did not finish within " + bound + " ms");
		}
	}

	/** Waits (bounded) until at least {@code count} payments are finished. */
	void awaitFinished(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (finished.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private void pay(String key) {
		String body = body(key);
		long begin = System.nanoTime();
		long deadline = begin + settings.maxPaymentTime().toNanos();
		for (int attempt = 0; attempt < settings.maxAttempts() && System.nanoTime() < deadline; attempt++) {
			if (attempt > 0) {
				backoff(attempt);
			}
			requests.incrementAndGet();
			String url = baseUrls.get();
			HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/payments"))
				.timeout(settings.requestTimeout())
				.header("Authorization", "Bearer sk_test_merchant_a")
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", key)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			long sent = System.nanoTime();
			HttpResponse<String> response;
			try {
				response = http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				// timeout, refused or reset: the outcome is unknown, retry with the same
				// key
				ioFailures.incrementAndGet();
				continue;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				maxRequestNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
			}
			int status = response.statusCode();
			if (status == 200 || status == 201) {
				Matcher id = ID.matcher(response.body());
				successIds.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet())
					.add(id.find() ? id.group(1) : "unparsable:" + response.body());
				maxPaymentNanos.accumulateAndGet(System.nanoTime() - begin, Math::max);
				return;
			}
			if (status == 409) {
				conflicts.incrementAndGet();
				continue;
			}
			if (status >= 500) {
				Matcher type = TYPE.matcher(response.body());
				if (status == 503 && type.find() && DOCUMENTED_503.contains(type.group(1))) {
					unavailable.incrementAndGet();
				}
				else {
					unexpected.add(key + " " + url + " " + status + " " + abbreviate(response.body()));
				}
				continue;
			}
			// 4xx other than 409: the request is wrong; a real client would not retry it
			gaveUp.add(key + " " + status + " " + abbreviate(response.body()));
			return;
		}
		gaveUp.add(key + " no success within " + settings.maxAttempts() + " attempts / " + settings.maxPaymentTime());
	}

	/**
	 * One more request with a finished payment's key, after the run: what a late
	 * duplicate submit would get. Retries only timeouts and {@code 5xx} (at most 5
	 * attempts).
	 * @param key the key
	 * @return the payment id answered, or {@code "status <code>"}
	 */
	String probe(String key) throws InterruptedException {
		String answer = "no answer";
		for (int attempt = 0; attempt < 5; attempt++) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrls.get() + "/api/v1/payments"))
				.timeout(Duration.ofSeconds(5))
				.header("Authorization", "Bearer sk_test_merchant_a")
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", key)
				.POST(HttpRequest.BodyPublishers.ofString(body(key)))
				.build();
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				Matcher id = ID.matcher(response.body());
				if (response.statusCode() / 100 == 2 && id.find()) {
					return id.group(1);
				}
				answer = "status " + response.statusCode();
				if (response.statusCode() < 500) {
					return answer;
				}
			}
			catch (IOException ex) {
				answer = ex.toString();
			}
			Thread.sleep(500);
		}
		return answer;
	}

	private static String body(String key) {
		return "{\"amount\":10000,\"currency\":\"USD\",\"customerId\":\"cust-alice\",\"description\":\"" + key + "\"}";
	}

	private void backoff(int attempt) {
		long cap = Math.min(1000, 50L << Math.min(attempt, 10));
		try {
			Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String abbreviate(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "..." : body;
	}

	int payments() {
		return settings.payments();
	}

	long requests() {
		return requests.get();
	}

	long conflicts() {
		return conflicts.get();
	}

	long unavailable() {
		return unavailable.get();
	}

	long ioFailures() {
		return ioFailures.get();
	}

	Duration maxRequest() {
		return Duration.ofNanos(maxRequestNanos.get());
	}

	Duration maxPayment() {
		return Duration.ofNanos(maxPaymentNanos.get());
	}

	Map<String, Set<String>> successIds() {
		return successIds;
	}

	List<String> unexpected() {
		return List.copyOf(unexpected);
	}

	List<String> gaveUp() {
		return List.copyOf(gaveUp);
	}

}
