package dev.idempotency.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy that can stall: while stalled it holds every byte in both directions, and
 * on {@link #resume()} forwards them in order. A client whose command times out during a
 * stall thus sees its command run anyway, later: what a slow or paused server does,
 * unlike one that is down.
 */
final class StallingTcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String upstreamHost;

	private final int upstreamPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object lock = new Object();

	private boolean stalled;

	private StallingTcpProxy(String upstreamHost, int upstreamPort) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.upstreamHost = upstreamHost;
		this.upstreamPort = upstreamPort;
	}

	static StallingTcpProxy start(String upstreamHost, int upstreamPort) {
		try {
			StallingTcpProxy proxy = new StallingTcpProxy(upstreamHost, upstreamPort);
			daemon(proxy::accept);
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return server.getLocalPort();
	}

	void stall() {
		synchronized (lock) {
			stalled = true;
		}
	}

	void resume() {
		synchronized (lock) {
			stalled = false;
			lock.notifyAll();
		}
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				Socket upstream = new Socket(upstreamHost, upstreamPort);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				sockets.add(client);
				sockets.add(upstream);
				daemon(() -> pump(client, upstream));
				daemon(() -> pump(upstream, client));
			}
			catch (IOException ex) {
				// closed, or the upstream refused: the client sees its connection drop
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				awaitResume();
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// a side closed: close the other below
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private void awaitResume() throws InterruptedException {
		synchronized (lock) {
			while (stalled) {
				lock.wait();
			}
		}
	}

	@Override
	public void close() {
		resume();
		closeQuietly(server);
		sockets.forEach(StallingTcpProxy::closeQuietly);
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "stalling-proxy");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// nothing left to do
		}
	}

}
