package dev.idempotency.sample.gateway;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.idempotency.sample.gateway.PaymentGateway.Charge;
import dev.idempotency.sample.gateway.PaymentGateway.GatewayRefund;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The provider's side of a Stripe-like gateway, served over HTTP by
 * {@link SimulatedProviderServer}, behaving like one where it matters here.
 * <ul>
 * <li><b>Idempotent by key</b>: the first call with an {@code Idempotency-Key} charges
 * (or refunds) and remembers the result; a later call with the same key and the same
 * parameters returns that result without charging again; the same key with other
 * parameters is refused ({@link GatewayKeyReusedException}). Concurrent calls with one
 * key charge once. Declines are not remembered, so a key whose charge was declined may be
 * used again. A call without a key is not idempotent: it charges every time.</li>
 * <li><b>Slow</b>: every call sleeps {@code payments.gateway.latency} (150 ms by
 * default).</li>
 * <li><b>Declines deterministically</b>: a customer id starting with
 * {@value #DECLINED_CUSTOMER_PREFIX} ({@code card_declined}), or an amount whose last
 * three digits are {@code 402}, such as {@code 1402} or {@code 10402}
 * ({@code insufficient_funds}).</li>
 * <li><b>Fails on demand</b>: after {@link #failNextCalls(int)}, that many calls fail
 * before doing anything, as an outage would; after {@link #failAfterNextCharges(int)},
 * that many charges are made and then fail, as when the response is lost.</li>
 * <li><b>Counted</b>: the counters {@value #CHARGES} and {@value #REFUNDS} count the
 * charges and refunds it really made, never the replays.</li>
 * </ul>
 * Thread-safe. Keeps charges and refunds in memory, the last {@value #REMEMBERED_KEYS}
 * keys of each: older keys are forgotten, as a real gateway forgets them after a while.
 */
public class SimulatedPaymentGateway {

	/** Counter of charges really made. */
	public static final String CHARGES = "payments.gateway.charges";

	/** Counter of refunds really made. */
	public static final String REFUNDS = "payments.gateway.refunds";

	/** How many of the calls received are kept for inspection. */
	public static final int RECENT_CALLS = 10_000;

	/** How many keys of charges, and of refunds, the gateway remembers. */
	public static final int REMEMBERED_KEYS = 100_000;

	/** Customers whose id starts with this have their card declined. */
	public static final String DECLINED_CUSTOMER_PREFIX = "cust-declined";

	private final RememberedResults<ChargeRecord> charges = new RememberedResults<>(REMEMBERED_KEYS);

	private final RememberedResults<GatewayRefund> refunds = new RememberedResults<>(REMEMBERED_KEYS);

	/**
	 * Most recent calls received, at most {@value #RECENT_CALLS}; guarded by itself.
	 */
	private final Deque<ReceivedCall> recentCalls = new ArrayDeque<>();

	private final Counter chargeCounter;

	private final Counter refundCounter;

	private final AtomicInteger callsToFail = new AtomicInteger();

	private final AtomicInteger chargesToFailAfter = new AtomicInteger();

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

	/**
	 * Charges a card, once per key.
	 * @param idempotencyKey the {@code Idempotency-Key} received, if any
	 * @param amount the amount in minor units
	 * @param currency the currency
	 * @param customerId the customer
	 * @return the charge, made now or remembered under the key
	 */
	public Charge charge(@Nullable String idempotencyKey, long amount, String currency, String customerId) {
		receive("charge", idempotencyKey);
		ChargeRequest request = new ChargeRequest(amount, currency, customerId);
		ChargeRecord record = onceByKey(charges, idempotencyKey, () -> {
			declineIfNeeded(amount, customerId);
			chargeCounter.increment();
			return new ChargeRecord(request, new Charge("ch_" + randomId(), amount, currency));
		});
		if (!record.request().equals(request)) {
			throw keyReused();
		}
		if (takeOne(chargesToFailAfter)) {
			throw new GatewayUnavailableException("The gateway failed after charging (simulated lost response).");
		}
		return record.charge();
	}

	/**
	 * Refunds a charge, once per key.
	 * @param idempotencyKey the {@code Idempotency-Key} received, if any
	 * @param chargeId the charge
	 * @param amount the amount in minor units
	 * @return the refund, made now or remembered under the key
	 */
	public GatewayRefund refund(@Nullable String idempotencyKey, String chargeId, long amount) {
		receive("refund", idempotencyKey);
		GatewayRefund refund = onceByKey(refunds, idempotencyKey, () -> {
			refundCounter.increment();
			return new GatewayRefund("re_" + randomId(), chargeId, amount);
		});
		if (!refund.chargeId().equals(chargeId) || refund.amount() != amount) {
			throw keyReused();
		}
		return refund;
	}

	/**
	 * The charge made under a key.
	 * @param idempotencyKey the key
	 * @return the charge, if any
	 */
	public Optional<Charge> chargeFor(String idempotencyKey) {
		return charges.get(idempotencyKey).map(ChargeRecord::charge);
	}

	/**
	 * The refund made under a key.
	 * @param idempotencyKey the key
	 * @return the refund, if any
	 */
	public Optional<GatewayRefund> refundFor(String idempotencyKey) {
		return refunds.get(idempotencyKey);
	}

	/**
	 * The calls received, oldest first, replays, declines and failures included: the last
	 * {@value #RECENT_CALLS}.
	 * @return the calls
	 */
	public List<ReceivedCall> recentCalls() {
		synchronized (recentCalls) {
			return List.copyOf(recentCalls);
		}
	}

	/**
	 * How many charges it really made, as its counter {@value #CHARGES} counts them.
	 * @return the count
	 */
	public long chargeCount() {
		return (long) chargeCounter.count();
	}

	/**
	 * How many refunds it really made, as its counter {@value #REFUNDS} counts them.
	 * @return the count
	 */
	public long refundCount() {
		return (long) refundCounter.count();
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

	/**
	 * Makes the next charges fail with {@link GatewayUnavailableException} after they are
	 * made (or replayed): the card is charged, the caller learns nothing, as when the
	 * response is lost on its way back.
	 * @param charges how many charges fail
	 */
	public void failAfterNextCharges(int charges) {
		chargesToFailAfter.set(charges);
	}

	private void receive(String operation, @Nullable String idempotencyKey) {
		synchronized (recentCalls) {
			if (recentCalls.size() == RECENT_CALLS) {
				recentCalls.removeFirst();
			}
			recentCalls.addLast(new ReceivedCall(operation, idempotencyKey));
		}
		pause();
		if (takeOne(callsToFail)) {
			throw new GatewayUnavailableException("The gateway is unavailable (simulated outage).");
		}
	}

	private static <V> V onceByKey(RememberedResults<V> results, @Nullable String idempotencyKey, Supplier<V> create) {
		return (idempotencyKey != null) ? results.computeIfAbsent(idempotencyKey, create) : create.get();
	}

	private static boolean takeOne(AtomicInteger counter) {
		return counter.getAndUpdate((left) -> Math.max(0, left - 1)) > 0;
	}

	private static GatewayKeyReusedException keyReused() {
		return new GatewayKeyReusedException(
				"Keys for idempotent requests can only be used with the same parameters they were first used with");
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

	/**
	 * A call the gateway received.
	 *
	 * @param operation {@code charge} or {@code refund}
	 * @param idempotencyKey its {@code Idempotency-Key} header, or {@code null} when it
	 * had none
	 */
	public record ReceivedCall(String operation, @Nullable String idempotencyKey) {
	}

	private record ChargeRequest(long amount, String currency, String customerId) {
	}

	private record ChargeRecord(ChargeRequest request, Charge charge) {
	}

}
