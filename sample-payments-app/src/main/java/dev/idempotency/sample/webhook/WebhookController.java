package dev.idempotency.sample.webhook;

import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payment gateway's webhook. The gateway sends no {@code Idempotency-Key}; the
 * event's own id is the key, and a redelivered event gets the first delivery's answer
 * without being applied again. Deliveries that overlap (the gateway timed out and sent
 * the event again) wait for the first and get its answer. The signature is checked before
 * any of this (see {@code SecurityConfiguration}), so a forged event claims no key.
 */
@RestController
class WebhookController {

	/** Counter of events applied: the handler ran, replays excluded. */
	static final String PROCESSED = "payments.webhooks.processed";

	private final GatewayEventService events;

	private final Counter processed;

	WebhookController(GatewayEventService events, MeterRegistry meters) {
		this.events = events;
		this.processed = Counter.builder(PROCESSED)
			.description("Gateway events applied (redeliveries replayed by the idempotency layer excluded)")
			.register(meters);
	}

	/**
	 * Applies an event once. An unknown payment is a {@code 404} problem, which is not
	 * stored: the gateway's next delivery is processed again.
	 */
	@PostMapping("/api/v1/webhooks/gateway")
	@Idempotent(key = "#body.id", onInFlight = OnInFlight.WAIT)
	WebhookReceipt receive(@Valid @RequestBody GatewayEvent event) {
		WebhookReceipt receipt = events.apply(event);
		processed.increment();
		return receipt;
	}

}
