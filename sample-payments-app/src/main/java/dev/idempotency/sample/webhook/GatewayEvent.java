package dev.idempotency.sample.webhook;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An event the payment gateway delivers to the webhook, such as
 * <pre>{"id": "evt_...", "type": "charge.refunded", "created": 1767225600, "data": {"paymentId": "pay_..."}}</pre>
 * The gateway delivers each event at least once: its {@code id} is the idempotency key.
 *
 * @param id the event id, the same in every delivery of the event
 * @param type what happened, such as {@code charge.refunded}
 * @param created when it happened, in seconds since the epoch
 * @param data the object the event is about
 */
public record GatewayEvent(@NotBlank @Size(max = 255) String id, @NotBlank @Size(max = 64) String type, long created,
		@NotNull @Valid Data data) {

	/** The charge succeeded. */
	public static final String CHARGE_SUCCEEDED = "charge.succeeded";

	/** The charge was refunded in full from the gateway's side. */
	public static final String CHARGE_REFUNDED = "charge.refunded";

	/** The customer disputed the charge with their bank. */
	public static final String DISPUTE_CREATED = "charge.dispute.created";

	/**
	 * The object an event is about.
	 *
	 * @param paymentId our payment the gateway's charge belongs to
	 */
	public record Data(@NotBlank @Size(max = 40) String paymentId) {
	}

}
