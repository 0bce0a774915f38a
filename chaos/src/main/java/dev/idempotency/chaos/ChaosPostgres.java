package dev.idempotency.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A private PostgreSQL (zonky embedded binaries) on a fixed loopback port and a data
 * directory that survives {@link #restart(long)}: stopping it really stops the server
 * process (fast shutdown), starting it again recovers the same data on the same port.
 */
final class ChaosPostgres implements AutoCloseable {

	private final Path dataDirectory;

	private final int port;

	private EmbeddedPostgres server;

	private ChaosPostgres(Path dataDirectory, int port) {
		this.dataDirectory = dataDirectory;
		this.port = port;
	}

	static ChaosPostgres start() {
		try {
			ChaosPostgres postgres = new ChaosPostgres(Files.createTempDirectory("chaos-pg"), freePort());
			postgres.startServer();
			Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "chaos-postgres-stop"));
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
	}

	/**
	 * Stops the server, keeps it down for a while, and starts it again on the same port
	 * and data.
	 * @param downMillis how long it stays down
	 */
	synchronized void restart(long downMillis) throws InterruptedException {
		stopServer();
		Thread.sleep(downMillis);
		startServer();
	}

	private void startServer() {
		try {
			this.server = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(port)
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setServerConfig("max_connections", "100")
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PostgreSQL on port " + port, ex);
		}
	}

	private void stopServer() {
		try {
			if (server != null) {
				server.close();
				server = null;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public synchronized void close() {
		stopServer();
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
