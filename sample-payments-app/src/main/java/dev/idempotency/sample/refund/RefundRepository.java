package dev.idempotency.sample.refund;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Refunds.
 */
public interface RefundRepository extends JpaRepository<Refund, String> {

	Optional<Refund> findByGatewayIdempotencyKey(String gatewayIdempotencyKey);

	long countByPaymentId(String paymentId);

	List<Refund> findByPaymentIdOrderByCreatedAt(String paymentId);

}
