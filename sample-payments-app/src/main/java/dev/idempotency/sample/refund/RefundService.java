package dev.idempotency.sample.refund;

import java.util.List;
import java.util.Optional;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.sample.gateway.PaymentGateway;
import dev.idempotency.sample.gateway.PaymentGateway.GatewayRefund;
import dev.idempotency.sample.gateway.RecordKeys;
import dev.idempotency.sample.payment.Payment;
import dev.idempotency.sample.payment.PaymentNotFoundException;
import dev.idempotency.sample.payment.PaymentRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refunds payments, never beyond what remains of them.
 */
@Service
public class RefundService {

	private final PaymentRepository payments;

	private final RefundRepository refunds;

	private final PaymentGateway gateway;

	RefundService(PaymentRepository payments, RefundRepository refunds, PaymentGateway gateway) {
		this.payments = payments;
		this.refunds = refunds;
		this.gateway = gateway;
	}

	/**
	 * Refunds part of a payment. The payment row stays locked from the check of the
	 * remaining amount to the commit, so two refunds with different keys cannot both pass
	 * the check; the key the starter derives for the gateway call makes a retry of a
	 * refund that crashed after the gateway call refund once.
	 * @param merchantId the merchant who must own the payment
	 * @param paymentId the payment
	 * @param request the validated request
	 * @param key the request's idempotency key
	 * @return the refund
	 */
	@Transactional
	public Refund refund(String merchantId, String paymentId, CreateRefundRequest request, IdempotencyKey key) {
		String recordKey = RecordKeys.of(key);
		Optional<Refund> existing = refunds.findByGatewayIdempotencyKey(recordKey);
		if (existing.isPresent()) {
			return existing.get();
		}
		Payment payment = payments.findForUpdate(paymentId, merchantId)
			.orElseThrow(() -> new PaymentNotFoundException(paymentId));
		if (request.amount() > payment.remainingAmount()) {
			throw new RefundExceedsRemainingException(paymentId, request.amount(), payment.remainingAmount());
		}
		GatewayRefund gatewayRefund = gateway.refund(payment.getGatewayChargeId(), request.amount());
		payment.refund(request.amount());
		return refunds.save(new Refund(payment.getId(), merchantId, request.amount(), payment.getCurrency(),
				request.reason(), gatewayRefund.id(), recordKey));
	}

	/**
	 * The refunds of a payment, oldest first.
	 * @param merchantId the merchant who must own the payment
	 * @param paymentId the payment
	 * @return the refunds
	 */
	@Transactional(readOnly = true)
	public List<Refund> list(String merchantId, String paymentId) {
		payments.findByIdAndMerchantId(paymentId, merchantId)
			.orElseThrow(() -> new PaymentNotFoundException(paymentId));
		return refunds.findByPaymentIdOrderByCreatedAt(paymentId);
	}

}
