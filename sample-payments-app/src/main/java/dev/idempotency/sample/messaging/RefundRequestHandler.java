package dev.idempotency.sample.messaging;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.Idempotent;
import dev.idempotency.sample.refund.Refund;
import dev.idempotency.sample.refund.RefundResponse;
import dev.idempotency.sample.refund.RefundService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Refunds a payment once per message id. {@link Idempotent} keys the call by the message
 * id within the merchant: the first delivery refunds and its result is stored; a
 * redelivery returns that result without refunding; a redelivery while the first still
 * runs throws {@code IdempotencyInFlightException}; a failure releases the key, so the
 * next delivery refunds. The same message id with another body is refused
 * ({@code IdempotencyKeyReusedException}).
 */
public class RefundRequestHandler {

	/** Counter of refund requests processed: the handler ran, replays excluded. */
	public static final String PROCESSED = "payments.refunds.processed";

	/** The "endpoint" of the keys queued refunds are recorded under. */
	static final String ENDPOINT = "AMQP " + RefundRequestsConfiguration.QUEUE;

	private final RefundService refunds;

	private final Counter processed;

	RefundRequestHandler(RefundService refunds, MeterRegistry meters) {
		this.refunds = refunds;
		this.processed = Counter.builder(PROCESSED)
			.description("Refund requests from the queue processed (redeliveries replayed by the idempotency layer "
					+ "excluded)")
			.register(meters);
	}

	/**
	 * Refunds part of a payment. Past the idempotency layer, the key the starter derives
	 * for the gateway call from the message's still makes one refund of a delivery that
	 * crashed after refunding and whose lock then expired.
	 * @param messageId the AMQP message id, at most 255 characters
	 * @param merchantId the merchant who must own the payment
	 * @param request the validated request
	 * @return the refund
	 */
	@Idempotent(key = "#messageId", scope = "#merchantId", fingerprint = { "#request" }, name = "refund-requests")
	public RefundResponse refund(String messageId, String merchantId, RefundRequestMessage request) {
		IdempotencyKey recorded = new IdempotencyKey("merchant:" + merchantId, ENDPOINT, messageId);
		Refund refund = refunds.refund(merchantId, request.paymentId(), request.toRefundRequest(), recorded);
		processed.increment();
		return RefundResponse.of(refund);
	}

}
