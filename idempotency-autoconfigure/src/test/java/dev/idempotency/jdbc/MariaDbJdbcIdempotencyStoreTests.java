package dev.idempotency.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC store on a real MariaDB server, from {@link TestServers#mariadb()}: the
 * environment's or the local one, else Testcontainers, else embedded binaries.
 */
class MariaDbJdbcIdempotencyStoreTests extends AbstractJdbcIdempotencyStoreTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		JdbcServer server = TestServers.mariadb();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(server.jdbcUrl());
		dataSource.setUsername(server.username());
		dataSource.setPassword(server.password());
		dataSource.setMaximumPoolSize(40);
	}

	@AfterAll
	static void close() {
		if (dataSource != null) {
			dataSource.close();
		}
	}

	@Override
	protected DataSource dataSource() {
		return dataSource;
	}

	@Override
	protected String schemaPlatform() {
		return "mariadb";
	}

	@Test
	void offersNoViewThatJoinsTransactions() {
		// Transactional mode is offered on PostgreSQL only: MariaDB fails the start-up
		// instead.
		assertThat(jdbcStore.joiningTransactions()).isEmpty();
	}

}
