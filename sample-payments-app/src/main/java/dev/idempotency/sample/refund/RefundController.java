package dev.idempotency.sample.refund;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.Idempotent;
import dev.idempotency.sample.security.Merchant;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
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

}
