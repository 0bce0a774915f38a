package dev.idempotency.sample.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real Redis server from the binary codemonstur's embedded-redis ships, bound to
 * 127.0.0.1 on a free port, without persistence, stopped when the JVM exits.
 *
 * @param url the server's URL, such as {@code redis://127.0.0.1:50123}
 */
record EmbeddedRedisServer(String url) {

	static EmbeddedRedisServer start() {
		int port = freePort();
		try {
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "embedded-redis-stop"));
			return new EmbeddedRedisServer("redis://127.0.0.1:" + port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded Redis on port " + port, ex);
		}
	}

	private static void stop(RedisServer server) {
		try {
			server.stop();
		}
		catch (IOException ex) {
			// The JVM is exiting; the server process is a child that exits with it.
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
