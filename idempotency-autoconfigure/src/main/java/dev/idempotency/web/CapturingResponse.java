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
 * A response that, once {@link #startCapture(long) capture starts}, keeps a copy of the
 * body while writing it through to the container. Up to the limit, the container holds
 * the body (its buffer is made that large and flushes are held back) until the request
 * ends, so the response is stored before the client can have it and retry: an immediate
 * retry is a replay, not a 409. Above the limit it stops copying, lets the body stream,
 * and remembers that it overflowed, so large responses are sent but not stored.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

	private @Nullable ByteArrayOutputStream copy;

	private long limit;

	private boolean overflowed;

	private boolean errorSent;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable PrintWriter writer;

	CapturingResponse(HttpServletResponse response) {
		super(response);
	}

	void startCapture(long maxBytes) {
		this.copy = new ByteArrayOutputStream();
		this.limit = maxBytes;
		if (!isCommitted() && maxBytes < Integer.MAX_VALUE) {
			setBufferSize(Math.max(getBufferSize(), (int) maxBytes + 1));
		}
	}

	/** Flushes reach the client only once the body is too large to be stored anyway. */
	private boolean holdsBack() {
		return copy != null && !overflowed;
	}

	/**
	 * The body written so far, or {@code null} when it overflowed the limit.
	 * @return the captured body
	 */
	byte @Nullable [] capturedBody() {
		if (writer != null) {
			writer.flush();
		}
		return (copy == null || overflowed) ? null : copy.toByteArray();
	}

	/**
	 * Whether the status came from {@code sendError}: the container renders that body
	 * later, so what was captured is not what the client gets.
	 * @return whether an error was sent
	 */
	boolean isErrorSent() {
		return errorSent;
	}

	@Override
	public void sendError(int status) throws IOException {
		errorSent = true;
		super.sendError(status);
	}

	@Override
	public void sendError(int status, String message) throws IOException {
		errorSent = true;
		super.sendError(status, message);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (copy == null) {
			return super.getOutputStream();
		}
		if (outputStream == null) {
			outputStream = new TeeOutputStream(super.getOutputStream());
		}
		return outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (copy == null) {
			return super.getWriter();
		}
		if (writer == null) {
			Charset charset = Charset.forName(getCharacterEncoding());
			writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), charset));
		}
		return writer;
	}

	// A container commits the response as soon as a declared Content-Length is written,
	// before the response is stored. While holding back, the length is left for the
	// container to compute from its buffer when the request ends.

	@Override
	public void setContentLength(int length) {
		if (!holdsBack()) {
			super.setContentLength(length);
		}
	}

	@Override
	public void setContentLengthLong(long length) {
		if (!holdsBack()) {
			super.setContentLengthLong(length);
		}
	}

	@Override
	public void setHeader(String name, String value) {
		if (!(holdsBack() && isContentLength(name))) {
			super.setHeader(name, value);
		}
	}

	@Override
	public void addHeader(String name, String value) {
		if (!(holdsBack() && isContentLength(name))) {
			super.addHeader(name, value);
		}
	}

	@Override
	public void setIntHeader(String name, int value) {
		if (!(holdsBack() && isContentLength(name))) {
			super.setIntHeader(name, value);
		}
	}

	@Override
	public void addIntHeader(String name, int value) {
		if (!(holdsBack() && isContentLength(name))) {
			super.addIntHeader(name, value);
		}
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
		discardCopy();
	}

	@Override
	public void reset() {
		super.reset();
		discardCopy();
	}

	private void discardCopy() {
		if (copy != null) {
			copy.reset();
			overflowed = false;
		}
	}

	private void keep(byte[] bytes, int offset, int length) {
		if (copy == null || overflowed) {
			return;
		}
		if (copy.size() + (long) length > limit) {
			overflowed = true;
			copy.reset();
			return;
		}
		copy.write(bytes, offset, length);
	}

	private final class TeeOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		TeeOutputStream(ServletOutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(int b) throws IOException {
			delegate.write(b);
			keep(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			delegate.write(bytes, offset, length);
			keep(bytes, offset, length);
		}

		@Override
		public void flush() throws IOException {
			if (!holdsBack()) {
				delegate.flush();
			}
		}

		@Override
		public void close() throws IOException {
			delegate.close();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			delegate.setWriteListener(listener);
		}

	}

}
