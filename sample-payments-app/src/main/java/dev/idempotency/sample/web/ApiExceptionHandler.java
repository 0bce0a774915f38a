package dev.idempotency.sample.web;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;

import dev.idempotency.sample.gateway.CardDeclinedException;
import dev.idempotency.sample.gateway.GatewayKeyReusedException;
import dev.idempotency.sample.gateway.GatewayUnavailableException;
import dev.idempotency.sample.payment.PaymentNotFoundException;
import dev.idempotency.sample.refund.RefundExceedsRemainingException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 problem details with a stable {@code type} (see
 * {@link ProblemTypes}). None of these statuses is 2xx, so the idempotency starter
 * releases the key and a corrected request may reuse it; nothing was charged or refunded
 * when any of them is answered.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, Object>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> Map.<String, Object>of("field", error.getField(), "message",
					String.valueOf(error.getDefaultMessage())))
			.toList();
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request",
				"The request body has invalid fields.");
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.badRequest()
			.body(problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request",
					"The request body is not valid JSON or has a value of the wrong type."));
	}

	@ExceptionHandler
	ProblemDetail paymentNotFound(PaymentNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Payment not found", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail cardDeclined(CardDeclinedException ex) {
		ProblemDetail problem = problem(HttpStatus.PAYMENT_REQUIRED, ProblemTypes.CARD_DECLINED, "Card declined",
				ex.getMessage());
		problem.setProperty("declineCode", ex.declineCode());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail refundExceedsRemaining(RefundExceedsRemainingException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, ProblemTypes.REFUND_EXCEEDS_REMAINING,
				"Refund exceeds remaining amount", ex.getMessage());
		problem.setProperty("remainingAmount", ex.remainingAmount());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail gatewayKeyReused(GatewayKeyReusedException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.GATEWAY_KEY_REUSED, "Gateway idempotency key reused",
				ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> gatewayUnavailable(GatewayUnavailableException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.GATEWAY_UNAVAILABLE, "Gateway unavailable",
					ex.getMessage()));
	}

	/**
	 * The database gone mid-request (found by the fault-injection runs in {@code chaos/}:
	 * PostgreSQL restarted while a payment was being saved): {@code 503} with
	 * {@code Retry-After}, like the starter's {@code store-unavailable}, rather than a
	 * bare {@code 500}. Any other data access failure stays a {@code 500}.
	 */
	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	ResponseEntity<ProblemDetail> databaseFailure(RuntimeException ex) {
		if (!isDatabaseUnavailable(ex)) {
			throw ex;
		}
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.DATABASE_UNAVAILABLE, "Database unavailable",
					"The database is unavailable; retry with the same Idempotency-Key."));
	}

	private static boolean isDatabaseUnavailable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			// no connection, or the transaction's connection broke (commit or rollback
			// failed: what a restart mid-transaction looks like through JPA)
			if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
					|| cause instanceof TransactionSystemException
					|| cause instanceof org.hibernate.TransactionException
					|| cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException
					|| cause instanceof SQLRecoverableException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				// connection exceptions; admin or crash shutdown, cannot connect now
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

}
