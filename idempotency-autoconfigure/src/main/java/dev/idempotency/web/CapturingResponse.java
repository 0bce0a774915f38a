package dev.idempotency.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A response that, once {@link #startCapture(long) capture starts}, holds the body back
 * in a buffer of its own until {@link #release()}, so the outcome is stored before the
 * client can have the response and retry (an immediate retry is a replay, not a 409). The
 * buffer grows with what is written, never ahead of it. Above the limit it writes what it
 * holds to the container, lets the rest stream, and remembers that it overflowed: large
 * responses are sent but their bodies are not stored.
 *
 * <p>
 * While holding back, flushes and {@code Content-Length} stop here (a container commits
 * the response on either); {@link #release()} sets the length of what is sent.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

	private static final int INITIAL_BUFFER = 256;

	private @Nullable ByteArrayOutputStream held;

	private long limit;

	private boolean overflowed;

	private boolean errorSent;

	private @Nullable String heldContentLength;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable PrintWriter writer;

	CapturingResponse(HttpServletResponse response) {
		super(response);
	}

	void startCapture(long maxBytes) {
		this.held = new ByteArrayOutputStream(INITIAL_BUFFER);
		this.limit = maxBytes;
	}

	private boolean holdsBack() {
		return held != null && !overflowed && !errorSent;
	}

	/**
	 * The body written so far, or {@code null} when it overflowed the limit.
	 * @return the captured body
	 */
	byte @Nullable [] capturedBody() {
		if (writer != null) {
			writer.flush();
		}
		return (held == null || overflowed) ? null : held.toByteArray();
	}

	/**
	 * Whether the status came from {@code sendError}: the container renders that body
	 * later, so what was captured is not what the client gets.
	 * @return whether an error was sent
	 */
	boolean isErrorSent() {
		return errorSent;
	}

	/**
	 * Sends what is held back to the container, with its length, and stops capturing.
	 * @throws IOException when the client went away
	 */
	void release() throws IOException {
		byte[] body = capturedBody();
		boolean wasHolding = holdsBack();
		held = null;
		if (!wasHolding || body == null) {
			return;
		}
		if (!isCommitted()) {
			super.setContentLengthLong(body.length);
		}
		ServletOutputStream out = super.getOutputStream();
		out.write(body);
	}

	/** Drops what is held back: the response is being replaced. */
	private void discardHeld() {
		if (held != null) {
			held.reset();
			overflowed = false;
		}
	}

	@Override
	public void sendError(int status) throws IOException {
		errorSent = true;
		discardHeld();
		super.sendError(status);
	}

	@Override
	public void sendError(int status, String message) throws IOException {
		errorSent = true;
		discardHeld();
		super.sendError(status, message);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (held == null) {
			return super.getOutputStream();
		}
		if (outputStream == null) {
			outputStream = new HoldingOutputStream();
		}
		return outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (held == null) {
			return super.getWriter();
		}
		if (writer == null) {
			Charset charset = Charset.forName(getCharacterEncoding());
			writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), charset));
		}
		return writer;
	}

	@Override
	public void setContentLength(int length) {
		setContentLengthLong(length);
	}

	@Override
	public void setContentLengthLong(long length) {
		if (holdsBack()) {
			heldContentLength = Long.toString(length);
		}
		else {
			super.setContentLengthLong(length);
		}
	}

	@Override
	public void setHeader(String name, String value) {
		if (holdsBack() && isContentLength(name)) {
			heldContentLength = value;
		}
		else {
			super.setHeader(name, value);
		}
	}

	@Override
	public void addHeader(String name, String value) {
		setHeader(name, value);
	}

	@Override
	public void setIntHeader(String name, int value) {
		if (holdsBack() && isContentLength(name)) {
			heldContentLength = Integer.toString(value);
		}
		else {
			super.setIntHeader(name, value);
		}
	}

	@Override
	public void addIntHeader(String name, int value) {
		if (holdsBack() && isContentLength(name)) {
			heldContentLength = Integer.toString(value);
		}
		else {
			super.addIntHeader(name, value);
		}
	}

	@Override
	public boolean containsHeader(String name) {
		return (holdsBack() && isContentLength(name)) ? heldContentLength != null : super.containsHeader(name);
	}

	private static boolean isContentLength(String name) {
		return "Content-Length".equalsIgnoreCase(name);
	}

	@Override
	public void flushBuffer() throws IOException {
		if (writer != null) {
			writer.flush();
		}
		if (!holdsBack()) {
			super.flushBuffer();
		}
	}

	@Override
	public void resetBuffer() {
		super.resetBuffer();
		discardHeld();
	}

	@Override
	public void reset() {
		super.reset();
		discardHeld();
		heldContentLength = null;
	}

	private void write(byte[] bytes, int offset, int length) throws IOException {
		ByteArrayOutputStream buffer = held;
		if (!holdsBack() || buffer == null) {
			super.getOutputStream().write(bytes, offset, length);
			return;
		}
		if (buffer.size() + (long) length <= limit) {
			buffer.write(bytes, offset, length);
			return;
		}
		// Too large to be stored: the client gets it as it comes, as without the starter.
		overflowed = true;
		if (heldContentLength != null && !isCommitted()) {
			super.setHeader("Content-Length", heldContentLength);
		}
		ServletOutputStream out = super.getOutputStream();
		buffer.writeTo(out);
		buffer.reset();
		out.write(bytes, offset, length);
	}

	/** Writes into the held buffer, or through to the container once overflowed. */
	private final class HoldingOutputStream extends ServletOutputStream {

		@Override
		public void write(int b) throws IOException {
			CapturingResponse.this.write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			CapturingResponse.this.write(bytes, offset, length);
		}

		@Override
		public void flush() throws IOException {
			if (!holdsBack()) {
				CapturingResponse.super.getOutputStream().flush();
			}
		}

		@Override
		public void close() throws IOException {
			// Closing would commit the response before it is stored; release() sends it.
			if (!holdsBack()) {
				CapturingResponse.super.getOutputStream().close();
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			throw new UnsupportedOperationException("Idempotent responses are written synchronously");
		}

	}

}
