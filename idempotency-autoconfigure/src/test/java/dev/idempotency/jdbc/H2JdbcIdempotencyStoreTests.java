package dev.idempotency.jdbc;

import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC store on an in-memory H2 database.
 */
class H2JdbcIdempotencyStoreTests extends AbstractJdbcIdempotencyStoreTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:h2:mem:idempotency-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		dataSource.setUsername("sa");
		dataSource.setMaximumPoolSize(40);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Override
	protected DataSource dataSource() {
		return dataSource;
	}

	@Override
	protected String schemaPlatform() {
		return "h2";
	}

	@Test
	void offersNoViewThatJoinsTransactions() {
		// Transactional mode is offered on PostgreSQL only: H2 fails the start-up
		// instead.
		assertThat(jdbcStore.joiningTransactions()).isEmpty();
	}

}
