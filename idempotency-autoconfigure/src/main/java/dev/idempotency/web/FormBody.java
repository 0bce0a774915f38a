package dev.idempotency.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

/**
 * The body of a form post as the fingerprint sees it. The container (or Spring's
 * multipart resolver, before any interceptor runs) has parsed these bodies already, so
 * the raw stream is gone: the parameters, and each uploaded part's name, file name and
 * content digest, stand for it, sorted so their order does not matter.
 */
final class FormBody {

	private FormBody() {
	}

	static boolean isForm(HttpServletRequest request) {
		String contentType = request.getContentType();
		return contentType != null && (contentType.startsWith("application/x-www-form-urlencoded")
				|| contentType.startsWith("multipart/form-data"));
	}

	static byte[] of(HttpServletRequest request) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Map.Entry<String, String[]> parameter : new TreeMap<>(request.getParameterMap()).entrySet()) {
			for (String value : parameter.getValue()) {
				out.writeBytes(encode(parameter.getKey()));
				out.write('=');
				out.writeBytes(encode(value));
				out.write('&');
			}
		}
		if (request.getContentType().startsWith("multipart/")) {
			writeParts(request, out);
		}
		return out.toByteArray();
	}

	private static void writeParts(HttpServletRequest request, ByteArrayOutputStream out) throws IOException {
		try {
			TreeMap<String, String> parts = new TreeMap<>();
			for (Part part : request.getParts()) {
				if (part.getSubmittedFileName() != null) {
					parts.put(part.getName() + "\u0000" + part.getSubmittedFileName(), digest(part));
				}
			}
			parts.forEach((name, digest) -> {
				out.writeBytes(encode(name));
				out.write('=');
				out.writeBytes(digest.getBytes(StandardCharsets.US_ASCII));
				out.write('&');
			});
		}
		catch (ServletException ex) {
			throw new IOException("Could not read the multipart request", ex);
		}
	}

	private static String digest(Part part) throws IOException {
		MessageDigest digest = Sha256.newDigest();
		try (InputStream in = new DigestInputStream(part.getInputStream(), digest)) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static byte[] encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
	}

}
