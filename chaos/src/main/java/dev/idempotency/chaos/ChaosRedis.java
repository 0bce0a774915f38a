package dev.idempotency.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.idempotency.testservers.OwnedRedisServer;

/**
 * A private Redis ({@link OwnedRedisServer}: no persistence, loopback only) that the
 * scenarios stop, start and flush.
 */
final class ChaosRedis implements AutoCloseable {

	private final OwnedRedisServer server = OwnedRedisServer.start();

	String url() {
		return server.url();
	}

	void restart(long downMillis) throws InterruptedException {
		server.stop();
		Thread.sleep(downMillis);
		server.startAgain();
	}

	void ensureRunning() {
		server.startAgain();
	}

	/**
	 * {@code FLUSHALL}: every key gone at once, as after a failover to an empty replica.
	 */
	void flushAll() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[5];
			int read = in.readNBytes(reply, 0, 5);
			String answer = new String(reply, 0, read, StandardCharsets.US_ASCII);
			if (!answer.startsWith("+OK")) {
				throw new IllegalStateException("FLUSHALL answered " + answer);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		server.stop();
	}

}
