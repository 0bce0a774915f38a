package dev.idempotency.sample.refund;

import java.util.List;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.Idempotent;
import dev.idempotency.sample.security.Merchant;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Refunds of the authenticated merchant's payments.
 */
@RestController
class RefundController {

	private final RefundService service;

	RefundController(RefundService service) {
		this.service = service;
	}

	@PostMapping("/api/v1/payments/{paymentId}/refunds")
	@Idempotent
	ResponseEntity<RefundResponse> create(@AuthenticationPrincipal Merchant merchant, @PathVariable String paymentId,
			@Valid @RequestBody CreateRefundRequest request, IdempotencyKey key) {
		Refund refund = service.refund(merchant.id(), paymentId, request, key);
		return ResponseEntity.status(HttpStatus.CREATED).body(RefundResponse.of(refund));
	}

	/**
	 * The payment's refunds, oldest first, whichever way they were asked for (this API or
	 * the {@code payments.refund-requests} queue).
	 */
	@GetMapping("/api/v1/payments/{paymentId}/refunds")
	List<RefundResponse> list(@AuthenticationPrincipal Merchant merchant, @PathVariable String paymentId) {
		return service.list(merchant.id(), paymentId).stream().map(RefundResponse::of).toList();
	}

}
