package dev.idempotency.sample.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import dev.idempotency.sample.payment.Payment;
import dev.idempotency.sample.payment.PaymentNotFoundException;
import dev.idempotency.sample.payment.PaymentRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies the gateway's events to payments. The webhook's idempotency makes sure each
 * event is applied once; the payment row stays locked while it is, so an event and a
 * refund through the API never overwrite each other.
 */
@Service
public class GatewayEventService {

	private final PaymentRepository payments;

	GatewayEventService(PaymentRepository payments) {
		this.payments = payments;
	}

	/**
	 * Applies an event to its payment.
	 * <ul>
	 * <li>{@code charge.succeeded} confirms the payment: payments are recorded as
	 * succeeded when the gateway charges, so nothing changes, and a late confirmation
	 * never undoes a refund.</li>
	 * <li>{@code charge.refunded}: the rest of the charge was refunded from the gateway's
	 * side; the payment becomes {@code refunded}.</li>
	 * <li>{@code charge.dispute.created}: the payment is flagged {@code disputed}.</li>
	 * <li>Other types are acknowledged and ignored, so the gateway stops sending
	 * them.</li>
	 * </ul>
	 * @param event the verified, validated event
	 * @return the receipt
	 * @throws PaymentNotFoundException when no payment has the event's payment id
	 */
	@Transactional
	public WebhookReceipt apply(GatewayEvent event) {
		String paymentId = event.data().paymentId();
		Payment payment = payments.findForUpdate(paymentId).orElseThrow(() -> new PaymentNotFoundException(paymentId));
		String action = switch (event.type()) {
			case GatewayEvent.CHARGE_SUCCEEDED -> "confirmed";
			case GatewayEvent.CHARGE_REFUNDED -> {
				payment.refundedByGateway();
				yield "refunded";
			}
			case GatewayEvent.DISPUTE_CREATED -> {
				payment.disputed();
				yield "dispute_recorded";
			}
			default -> "ignored";
		};
		return new WebhookReceipt(event.id(), event.type(), paymentId, action,
				payment.getStatus().name().toLowerCase(Locale.ROOT), payment.isDisputed(),
				Instant.now().truncatedTo(ChronoUnit.MICROS));
	}

}
