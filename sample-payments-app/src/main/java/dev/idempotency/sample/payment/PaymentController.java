package dev.idempotency.sample.payment;

import java.net.URI;
import java.util.List;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.Idempotent;
import dev.idempotency.sample.security.Merchant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments of the authenticated merchant.
 */
@RestController
@RequestMapping("/api/v1/payments")
class PaymentController {

	private final PaymentService service;

	PaymentController(PaymentService service) {
		this.service = service;
	}

	/**
	 * Creates a payment. Requires an {@code Idempotency-Key}; the starter resolves the
	 * {@link IdempotencyKey} argument (merchant, endpoint and client key).
	 */
	@PostMapping
	@Idempotent
	ResponseEntity<PaymentResponse> create(@AuthenticationPrincipal Merchant merchant,
			@Valid @RequestBody CreatePaymentRequest request, IdempotencyKey key) {
		Payment payment = service.create(merchant.id(), request, key);
		return ResponseEntity.created(URI.create("/api/v1/payments/" + payment.getId()))
			.body(PaymentResponse.of(payment));
	}

	@GetMapping("/{id}")
	PaymentResponse get(@AuthenticationPrincipal Merchant merchant, @PathVariable String id) {
		return PaymentResponse.of(service.get(merchant.id(), id));
	}

	/**
	 * The merchant's payments, newest first.
	 */
	@GetMapping
	List<PaymentResponse> list(@AuthenticationPrincipal Merchant merchant,
			@RequestParam(defaultValue = "100") @Min(1) @Max(100) int limit) {
		return service.list(merchant.id(), limit).stream().map(PaymentResponse::of).toList();
	}

}
