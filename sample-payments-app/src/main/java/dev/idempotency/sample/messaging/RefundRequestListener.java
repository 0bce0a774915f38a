package dev.idempotency.sample.messaging;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.sample.payment.PaymentNotFoundException;
import dev.idempotency.sample.refund.RefundExceedsRemainingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * Consumes {@code payments.refund-requests} and decides what the broker does with each
 * message:
 * <ul>
 * <li>refunded, or replayed as a duplicate: acknowledged;</li>
 * <li>a duplicate whose first delivery still runs: requeued after a short pause, and
 * replayed once the first is done;</li>
 * <li>any other failure (the gateway or the database unavailable): requeued, the key
 * released, so a redelivery refunds;</li>
 * <li>a message that can never succeed (no {@code message_id} or {@code merchant-id}, an
 * invalid body, a message id reused with another body, an unknown payment, a refund
 * beyond what remains): rejected without requeue, to the dead-letter queue.</li>
 * </ul>
 */
class RefundRequestListener {

	/** The header naming the merchant. */
	static final String MERCHANT_ID = "merchant-id";

	/**
	 * Counter of deliveries requeued because the same message was still being processed.
	 */
	static final String IN_FLIGHT = "payments.refunds.in-flight";

	/** Counter of messages rejected without requeue: they can never succeed. */
	static final String REJECTED = "payments.refunds.rejected";

	/**
	 * How long a duplicate of a message still in flight holds its consumer before it is
	 * requeued: the broker would otherwise redeliver it at once, in a tight loop.
	 */
	static final Duration IN_FLIGHT_BACKOFF = Duration.ofMillis(200);

	private final RefundRequestHandler handler;

	private final Validator validator;

	private final Counter inFlight;

	private final Counter rejected;

	RefundRequestListener(RefundRequestHandler handler, Validator validator, MeterRegistry meters) {
		this.handler = handler;
		this.validator = validator;
		this.inFlight = Counter.builder(IN_FLIGHT)
			.description("Refund request deliveries requeued while the same message was being processed")
			.register(meters);
		this.rejected = Counter.builder(REJECTED)
			.description("Refund requests rejected without requeue (dead-lettered): they can never succeed")
			.register(meters);
	}

	@RabbitListener(queues = RefundRequestsConfiguration.QUEUE_PROPERTY,
			concurrency = "${payments.refund-requests.concurrency:2}")
	void onRefundRequest(@Payload RefundRequestMessage request,
			@Header(name = AmqpHeaders.MESSAGE_ID, required = false) @Nullable String messageId,
			@Header(name = MERCHANT_ID, required = false) @Nullable String merchantId) {
		try {
			String key = require(messageId, "message_id property", IdempotencyKey.MAX_CLIENT_KEY_LENGTH);
			String merchant = require(merchantId, MERCHANT_ID + " header", 64);
			validate(request);
			handler.refund(key, merchant, request);
		}
		catch (IdempotencyInFlightException ex) {
			inFlight.increment();
			pause(IN_FLIGHT_BACKOFF);
			throw ex;
		}
		catch (IdempotencyKeyReusedException | PaymentNotFoundException | RefundExceedsRemainingException ex) {
			rejected.increment();
			throw new AmqpRejectAndDontRequeueException(ex.getMessage(), ex);
		}
		catch (AmqpRejectAndDontRequeueException ex) {
			rejected.increment();
			throw ex;
		}
	}

	private static String require(@Nullable String value, String what, int maxLength) {
		if (value == null || value.isBlank() || value.length() > maxLength) {
			throw new AmqpRejectAndDontRequeueException("A refund request needs a " + what + " of 1 to " + maxLength
					+ " characters; got " + ((value == null) ? "none" : value.length() + " characters"));
		}
		return value;
	}

	private void validate(RefundRequestMessage request) {
		Set<ConstraintViolation<RefundRequestMessage>> violations = validator.validate(request);
		if (!violations.isEmpty()) {
			throw new AmqpRejectAndDontRequeueException("Invalid refund request: " + violations.stream()
				.map((violation) -> violation.getPropertyPath() + " " + violation.getMessage())
				.sorted()
				.collect(Collectors.joining(", ")));
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
