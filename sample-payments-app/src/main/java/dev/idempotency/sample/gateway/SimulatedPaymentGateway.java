package dev.idempotency.sample.gateway;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An in-process stand-in for a Stripe-like gateway that behaves like one where it matters
 * here.
 * <ul>
 * <li><b>Idempotent by key</b>: the first call with a key charges (or refunds) and
 * remembers the result; a later call with the same key and the same parameters returns
 * that result without charging again; the same key with other parameters is refused
 * ({@link GatewayKeyReusedException}). Concurrent calls with one key charge once.
 * Declines are not remembered, so a key whose charge was declined may be used again.</li>
 * <li><b>Slow</b>: every call sleeps {@code payments.gateway.latency} (150 ms by
 * default).</li>
 * <li><b>Declines deterministically</b>: a customer id starting with
 * {@value #DECLINED_CUSTOMER_PREFIX} ({@code card_declined}), or an amount whose last
 * three digits are {@code 402}, such as {@code 1402} or {@code 10402}
 * ({@code insufficient_funds}).</li>
 * <li><b>Fails on demand</b>: after {@link #failNextCalls(int)}, that many calls throw
 * {@link GatewayUnavailableException} before doing anything, as an outage would.</li>
 * <li><b>Counted</b>: the counters {@value #CHARGES} and {@value #REFUNDS} count the
 * charges and refunds it really made, never the replays.</li>
 * </ul>
 * Thread-safe. Keeps charges and refunds in memory, the last {@value #REMEMBERED_KEYS}
 * keys of each: older keys are forgotten, as a real gateway forgets them after a while.
 */
public class SimulatedPaymentGateway implements PaymentGateway {

	/** Counter of charges really made. */
	public static final String CHARGES = "payments.gateway.charges";

	/** Counter of refunds really made. */
	public static final String REFUNDS = "payments.gateway.refunds";

	/** How many of the keys callers sent are kept for inspection. */
	public static final int RECENT_KEYS = 10_000;

	/** How many keys of charges, and of refunds, the gateway remembers. */
	public static final int REMEMBERED_KEYS = 100_000;

	/** Customers whose id starts with this have their card declined. */
	public static final String DECLINED_CUSTOMER_PREFIX = "cust-declined";

	private final RememberedResults<ChargeRecord> charges = new RememberedResults<>(REMEMBERED_KEYS);

	private final RememberedResults<GatewayRefund> refunds = new RememberedResults<>(REMEMBERED_KEYS);

	/**
	 * Most recent keys callers sent, at most {@value #RECENT_KEYS}; guarded by itself.
	 */
	private final Deque<String> recentKeys = new ArrayDeque<>();

	private final Counter chargeCounter;

	private final Counter refundCounter;

	private final AtomicInteger callsToFail = new AtomicInteger();

	private volatile Duration latency;

	public SimulatedPaymentGateway(MeterRegistry registry, Duration latency) {
		this.chargeCounter = Counter.builder(CHARGES)
			.description("Charges the simulated gateway really made (replays by key excluded)")
			.register(registry);
		this.refundCounter = Counter.builder(REFUNDS)
			.description("Refunds the simulated gateway really made (replays by key excluded)")
			.register(registry);
		this.latency = latency;
	}

	@Override
	public Charge charge(String idempotencyKey, long amount, String currency, String customerId) {
		remember(idempotencyKey);
		pause();
		failIfAsked();
		ChargeRequest request = new ChargeRequest(amount, currency, customerId);
		ChargeRecord record = charges.computeIfAbsent(idempotencyKey, () -> {
			declineIfNeeded(amount, customerId);
			chargeCounter.increment();
			return new ChargeRecord(request, new Charge("ch_" + randomId(), amount, currency));
		});
		if (!record.request().equals(request)) {
			throw new GatewayKeyReusedException(
					"Keys for idempotent requests can only be used with the same parameters they were first used with");
		}
		return record.charge();
	}

	@Override
	public GatewayRefund refund(String idempotencyKey, String chargeId, long amount) {
		remember(idempotencyKey);
		pause();
		failIfAsked();
		GatewayRefund refund = refunds.computeIfAbsent(idempotencyKey, () -> {
			refundCounter.increment();
			return new GatewayRefund("re_" + randomId(), chargeId, amount);
		});
		if (!refund.chargeId().equals(chargeId) || refund.amount() != amount) {
			throw new GatewayKeyReusedException(
					"Keys for idempotent requests can only be used with the same parameters they were first used with");
		}
		return refund;
	}

	/**
	 * The charge made under a key.
	 * @param idempotencyKey the caller's key
	 * @return the charge, if any
	 */
	public Optional<Charge> chargeFor(String idempotencyKey) {
		return charges.get(idempotencyKey).map(ChargeRecord::charge);
	}

	/**
	 * The idempotency keys callers sent, oldest first, replays and declines included: the
	 * last {@value #RECENT_KEYS}.
	 * @return the keys
	 */
	public List<String> recentForwardedKeys() {
		synchronized (recentKeys) {
			return List.copyOf(recentKeys);
		}
	}

	private void remember(String idempotencyKey) {
		synchronized (recentKeys) {
			if (recentKeys.size() == RECENT_KEYS) {
				recentKeys.removeFirst();
			}
			recentKeys.addLast(idempotencyKey);
		}
	}

	public void setLatency(Duration latency) {
		this.latency = latency;
	}

	/**
	 * Makes the next calls fail with {@link GatewayUnavailableException}, charging and
	 * refunding nothing: a simulated outage.
	 * @param calls how many calls fail
	 */
	public void failNextCalls(int calls) {
		callsToFail.set(calls);
	}

	private void failIfAsked() {
		if (callsToFail.getAndUpdate((calls) -> Math.max(0, calls - 1)) > 0) {
			throw new GatewayUnavailableException("The gateway is unavailable (simulated outage).");
		}
	}

	private static void declineIfNeeded(long amount, String customerId) {
		if (customerId.startsWith(DECLINED_CUSTOMER_PREFIX)) {
			throw new CardDeclinedException("card_declined", "The card was declined.");
		}
		if (amount % 1000 == 402) {
			throw new CardDeclinedException("insufficient_funds", "The card has insufficient funds.");
		}
	}

	private void pause() {
		try {
			Thread.sleep(latency.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling the gateway", ex);
		}
	}

	private static String randomId() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
	}

	private record ChargeRequest(long amount, String currency, String customerId) {
	}

	private record ChargeRecord(ChargeRequest request, Charge charge) {
	}

}
