package dev.idempotency.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary shipped in
 * {@code com.github.codemonstur:embedded-redis}) that one test owns, on a port of its
 * own, so it may stop, restart or flush it without touching anyone else. Keeps nothing on
 * disk: a restart loses every key, like a failover to a replica that had not caught up.
 */
public final class OwnedRedisServer implements AutoCloseable {

	private final int port;

	private RedisServer server;

	private OwnedRedisServer(int port) {
		this.port = port;
		this.server = build(port);
	}

	/**
	 * Starts a server on a free loopback port.
	 * @return the running server
	 */
	public static OwnedRedisServer start() {
		OwnedRedisServer owned = new OwnedRedisServer(freePort());
		owned.startAgain();
		Runtime.getRuntime().addShutdownHook(new Thread(owned::stop));
		return owned;
	}

	public String url() {
		return "redis://127.0.0.1:" + port;
	}

	public int port() {
		return port;
	}

	/** Stops the server; clients see refused connections until {@link #startAgain()}. */
	public synchronized void stop() {
		try {
			if (server.isActive()) {
				server.stop();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts the server again on the same port, empty. */
	public synchronized void startAgain() {
		try {
			if (!server.isActive()) {
				server = build(port);
				server.start();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded Redis on port " + port, ex);
		}
	}

	@Override
	public void close() {
		stop();
	}

	@Override
	public String toString() {
		return url();
	}

	private static RedisServer build(int port) {
		try {
			return RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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
