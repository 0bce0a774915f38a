package dev.idempotency.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.idempotency.engine.Sha256;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

/**
 * The body of a form post as the fingerprint sees it. The container (or Spring's
 * multipart resolver, before any interceptor runs) has parsed these bodies already, so
 * the raw stream is gone: the parameters, and each uploaded part's name, file name,
 * content type and content digest, stand for it. Names are sorted so their order does not
 * matter; the values and parts under one name keep their order, as a handler binding a
 * list sees them.
 *
 * <p>
 * The size limit holds for forms too: a declared length over it is refused before
 * anything is parsed, and what was parsed (of a body sent without a length) is counted.
 */
final class FormBody {

	private FormBody() {
	}

	static boolean isForm(HttpServletRequest request) {
		String contentType = request.getContentType();
		return contentType != null && (contentType.startsWith("application/x-www-form-urlencoded")
				|| contentType.startsWith("multipart/form-data"));
	}

	static byte[] of(HttpServletRequest request, long maxBytes) throws IOException {
		if (request.getContentLengthLong() > maxBytes) {
			throw IdempotencyProblem.requestTooLarge(maxBytes);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long size = 0;
		for (Map.Entry<String, String[]> parameter : new TreeMap<>(request.getParameterMap()).entrySet()) {
			for (String value : parameter.getValue()) {
				size += parameter.getKey().length() + value.length() + 2;
				if (size > maxBytes) {
					throw IdempotencyProblem.requestTooLarge(maxBytes);
				}
				out.writeBytes(encode(parameter.getKey()));
				out.write('=');
				out.writeBytes(encode(value));
				out.write('&');
			}
		}
		if (request.getContentType().startsWith("multipart/")) {
			writeParts(request, out, size, maxBytes);
		}
		return out.toByteArray();
	}

	private static void writeParts(HttpServletRequest request, ByteArrayOutputStream out, long parametersSize,
			long maxBytes) throws IOException {
		List<Part> files = new ArrayList<>();
		long size = parametersSize;
		try {
			for (Part part : request.getParts()) {
				if (part.getSubmittedFileName() != null) {
					files.add(part);
					size += part.getSize();
				}
			}
		}
		catch (ServletException ex) {
			throw new IOException("Could not read the multipart request", ex);
		}
		if (size > maxBytes) {
			throw IdempotencyProblem.requestTooLarge(maxBytes);
		}
		files.sort(Comparator.comparing(Part::getName));
		for (Part part : files) {
			out.writeBytes(encode(part.getName()));
			out.write(';');
			out.writeBytes(encode(part.getSubmittedFileName()));
			out.write(';');
			out.writeBytes(encode(String.valueOf(part.getContentType())));
			out.write('=');
			out.writeBytes(digest(part).getBytes(StandardCharsets.US_ASCII));
			out.write('&');
		}
	}

	private static String digest(Part part) throws IOException {
		MessageDigest digest = Sha256.newDigest();
		try (InputStream in = new DigestInputStream(part.getInputStream(), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static byte[] encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
	}

}
