package dev.idempotency.sample.webhook;

import java.time.Instant;

/**
 * The webhook's answer to an event, replayed as it is to every later delivery of it.
 *
 * @param eventId the event id
 * @param type the event type
 * @param paymentId the payment
 * @param action what was done: {@code confirmed}, {@code refunded},
 * {@code dispute_recorded} or {@code ignored} (a type this app does not handle)
 * @param paymentStatus the payment's status afterwards
 * @param disputed whether the payment is disputed afterwards
 * @param processedAt when the event was processed, ISO-8601 in UTC
 */
public record WebhookReceipt(String eventId, String type, String paymentId, String action, String paymentStatus,
		boolean disputed, Instant processedAt) {
}
