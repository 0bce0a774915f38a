/**
 * Refunds requested over RabbitMQ ({@code payments.refund-requests}): each message id
 * refunds once, however often the broker delivers it. Off unless
 * {@code payments.refund-requests.enabled} is {@code true}.
 */
@NullMarked
package dev.idempotency.sample.messaging;

import org.jspecify.annotations.NullMarked;
