package dev.idempotency.sample.payment;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/**
 * Payments, always looked up within one merchant.
 */
public interface PaymentRepository extends JpaRepository<Payment, String> {

	Optional<Payment> findByIdAndMerchantId(String id, String merchantId);

	List<Payment> findByMerchantIdOrderByCreatedAtDesc(String merchantId, Limit limit);

	Optional<Payment> findByGatewayIdempotencyKey(String gatewayIdempotencyKey);

	/**
	 * Reads a payment and locks its row ({@code SELECT ... FOR UPDATE}) until the
	 * transaction ends, so concurrent refunds of one payment check the remaining amount
	 * one after the other.
	 * @param id the payment id
	 * @param merchantId the merchant who must own it
	 * @return the payment
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select p from Payment p where p.id = :id and p.merchantId = :merchantId")
	Optional<Payment> findForUpdate(String id, String merchantId);

	/**
	 * Reads a payment of any merchant and locks its row until the transaction ends: for
	 * the gateway's events, which name the payment but no merchant.
	 * @param id the payment id
	 * @return the payment
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select p from Payment p where p.id = :id")
	Optional<Payment> findForUpdate(String id);

}
