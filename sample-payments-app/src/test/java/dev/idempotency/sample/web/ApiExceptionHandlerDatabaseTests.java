package dev.idempotency.sample.web;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.orm.jpa.JpaSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database gone mid-request is a {@code 503} with {@code Retry-After}; other data
 * access failures stay {@code 500}. The cases are the ones the chaos runs met when
 * PostgreSQL was restarted under load.
 */
class ApiExceptionHandlerDatabaseTests {

	private final ApiExceptionHandler handler = new ApiExceptionHandler();

	@Test
	void connectionFailureIsUnavailable() {
		assertUnavailable(new DataAccessResourceFailureException("connection refused"));
	}

	@Test
	void rollbackOnABrokenConnectionIsUnavailable() {
		// JpaTransactionManager: "Unable to rollback against JDBC Connection"
		assertUnavailable(new JpaSystemException(new org.hibernate.TransactionException(
				"Unable to rollback against JDBC Connection", new SQLException("Connection is closed"))));
	}

	@Test
	void administratorShutdownIsUnavailable() {
		assertUnavailable(new UncategorizedSQLException("insert", "INSERT",
				new SQLException("terminating connection due to administrator command", "57P01")));
	}

	@Test
	void otherFailuresStayErrors() {
		DataIntegrityViolationException ex = new DataIntegrityViolationException("duplicate key");
		assertThatThrownBy(() -> handler.databaseFailure(ex)).isSameAs(ex);
	}

	private void assertUnavailable(RuntimeException ex) {
		ResponseEntity<ProblemDetail> response = handler.databaseFailure(ex);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(response.getBody().getType()).isEqualTo(ProblemTypes.DATABASE_UNAVAILABLE);
	}

}
