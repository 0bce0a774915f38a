package dev.idempotency.sample.payment;

import java.util.List;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.sample.gateway.PaymentGateway;
import dev.idempotency.sample.gateway.PaymentGateway.Charge;
import dev.idempotency.sample.gateway.RecordKeys;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Charges cards and keeps the payments.
 */
@Service
public class PaymentService {

	private final PaymentRepository payments;

	private final PaymentGateway gateway;

	private final CommitPauses pauses;

	PaymentService(PaymentRepository payments, PaymentGateway gateway, CommitPauses pauses) {
		this.payments = payments;
		this.gateway = gateway;
		this.pauses = pauses;
	}

	/**
	 * Charges the card through the gateway, then records the payment. The starter makes
	 * sure this runs once per key, and gives the gateway call a key derived from the
	 * request's: that covers the one case the starter cannot, an attempt that charged and
	 * then failed or crashed before its response was stored. Its retry gets the same
	 * gateway charge back, and finds the payment if it was saved.
	 * @param merchantId the merchant
	 * @param request the validated request
	 * @param key the request's idempotency key
	 * @return the payment
	 */
	public Payment create(String merchantId, CreatePaymentRequest request, IdempotencyKey key) {
		String recordKey = RecordKeys.of(key);
		return payments.findByGatewayIdempotencyKey(recordKey).orElseGet(() -> {
			Charge charge = gateway.charge(request.amount(), request.currency(), request.customerId());
			Payment saved = payments.save(new Payment(merchantId, request.amount(), request.currency(),
					request.customerId(), request.description(), charge.id(), recordKey));
			pauses.pauseAroundCommit();
			return saved;
		});
	}

	@Transactional(readOnly = true)
	public Payment get(String merchantId, String id) {
		return payments.findByIdAndMerchantId(id, merchantId).orElseThrow(() -> new PaymentNotFoundException(id));
	}

	@Transactional(readOnly = true)
	public List<Payment> list(String merchantId, int limit) {
		return payments.findByMerchantIdOrderByCreatedAtDesc(merchantId, Limit.of(limit));
	}

}
