package dev.idempotency.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A request whose body can be read once for the fingerprint and again by the handler.
 * Nothing is read until {@link #body(long)} is called, so requests to endpoints that are
 * not idempotent stream as usual.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

	private byte @Nullable [] body;

	BufferedBodyRequest(HttpServletRequest request) {
		super(request);
	}

	/**
	 * Reads and keeps the body.
	 * @param maxBytes the most the body may have
	 * @return the body
	 * @throws IdempotencyProblem when the body is larger than {@code maxBytes}
	 * @throws IOException when the client went away
	 */
	byte[] body(long maxBytes) throws IOException {
		if (body == null) {
			long declared = getContentLengthLong();
			if (declared > maxBytes) {
				throw IdempotencyProblem.requestTooLarge(maxBytes);
			}
			// One byte past what may come shows a body longer than declared or allowed;
			// sized to the declared length so a small body reads into a small buffer.
			long expected = (declared >= 0) ? declared : maxBytes;
			byte[] read = super.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, expected + 1));
			if (read.length > maxBytes) {
				throw IdempotencyProblem.requestTooLarge(maxBytes);
			}
			body = read;
		}
		return body;
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		return (body != null) ? new BytesInputStream(body) : super.getInputStream();
	}

	@Override
	public BufferedReader getReader() throws IOException {
		if (body == null) {
			return super.getReader();
		}
		String encoding = getCharacterEncoding();
		Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
		return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
	}

	private static final class BytesInputStream extends ServletInputStream {

		private final InputStream bytes;

		BytesInputStream(byte[] body) {
			this.bytes = new ByteArrayInputStream(body);
		}

		@Override
		public int read() throws IOException {
			return bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			return bytes.read(buffer, offset, length);
		}

		@Override
		public boolean isFinished() {
			try {
				return bytes.available() == 0;
			}
			catch (IOException ex) {
				return true;
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException("Buffered idempotent request bodies are read synchronously");
		}

	}

}
