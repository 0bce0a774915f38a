package dev.idempotency.testservers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The fallbacks a fresh machine without Docker or local servers relies on: they must
 * start real servers here too, whatever the environment provides.
 */
class EmbeddedServersTests {

	@Test
	void ownedRedisAnswersStopsAndComesBackEmpty() throws IOException {
		try (OwnedRedisServer redis = OwnedRedisServer.start()) {
			assertThat(send(redis.port(), "SET k v")).isEqualTo("+OK");
			redis.stop();
			assertThatIOException().isThrownBy(() -> send(redis.port(), "PING"));
			redis.startAgain();
			assertThat(send(redis.port(), "GET k")).isEqualTo("$-1");
		}
	}

	@Test
	void embeddedPostgresRunsQueries() throws Exception {
		JdbcServer server = TestServers.embeddedPostgres();
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(),
				server.password()); ResultSet result = connection.createStatement().executeQuery("select 6 * 7")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getInt(1)).isEqualTo(42);
		}
	}

	@Test
	void embeddedMariadbRunsQueries() throws Exception {
		JdbcServer server = TestServers.embeddedMariadb();
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(),
				server.password()); ResultSet result = connection.createStatement().executeQuery("select version()")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getString(1)).contains("MariaDB");
		}
	}

	private static String send(int port, String command) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
		}
	}

}
