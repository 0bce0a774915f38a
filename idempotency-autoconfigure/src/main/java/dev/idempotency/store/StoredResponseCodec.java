package dev.idempotency.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.idempotency.StoredResponse;

/**
 * Encodes a {@link StoredResponse} as compact bytes for stores that keep it as a blob
 * (Redis, a database column). A version byte leads so the format can evolve; the body is
 * kept byte for byte. Version 1 is status, headers and body; version 2 adds the trace id
 * before them, and is written only for a response that has one, so that without tracing
 * the bytes are what earlier versions wrote and read. Both are read.
 *
 * <p>
 * Decoding trusts nothing it reads: whoever can write to Redis or the table must not be
 * able to make a replay allocate without bound or carry a header the application never
 * sent. Every count and length is checked against a limit and against the bytes that are
 * actually there, header names must be HTTP tokens and values free of control characters;
 * anything else is an {@link IllegalArgumentException}, which the stores report as a
 * store failure.
 */
public final class StoredResponseCodec {

	/** Longest encoded response accepted, body included. */
	public static final int MAX_ENCODED_LENGTH = 256 * 1024 * 1024;

	/** Most distinct headers of a stored response. */
	static final int MAX_HEADERS = 64;

	/** Most values of one stored header. */
	static final int MAX_VALUES_PER_HEADER = 64;

	private static final byte VERSION_1 = 1;

	/** Version 1 with the trace id of the operation that produced the response. */
	private static final byte VERSION_2 = 2;

	private StoredResponseCodec() {
	}

	/**
	 * Encodes a response.
	 * @param response the response
	 * @return its bytes
	 * @throws IllegalArgumentException if it breaks a limit that decoding enforces
	 */
	public static byte[] encode(StoredResponse response) {
		// What is written must read back: the same rules as decode.
		require(response.headers().size() <= MAX_HEADERS, "has too many headers");
		response.headers().forEach((name, values) -> {
			requireHeader(name, values.size());
			values.forEach(StoredResponseCodec::requireValue);
		});
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(response.bodyLength() + 128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			String traceId = response.traceId();
			if (traceId != null) {
				out.writeByte(VERSION_2);
				out.writeUTF(traceId);
			}
			else {
				out.writeByte(VERSION_1);
			}
			out.writeShort(response.status());
			out.writeShort(response.headers().size());
			for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
				out.writeUTF(header.getKey());
				out.writeShort(header.getValue().size());
				for (String value : header.getValue()) {
					out.writeUTF(value);
				}
			}
			byte[] body = response.body();
			out.writeInt(body.length);
			out.write(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		require(bytes.size() <= MAX_ENCODED_LENGTH, "is longer than " + MAX_ENCODED_LENGTH + " bytes");
		return bytes.toByteArray();
	}

	/**
	 * Decodes what {@link #encode} wrote.
	 * @param encoded the bytes, as the store returned them
	 * @return the response
	 * @throws IllegalArgumentException if the bytes are not a valid encoding
	 */
	public static StoredResponse decode(byte[] encoded) {
		return decode(encoded, MAX_ENCODED_LENGTH);
	}

	static StoredResponse decode(byte[] encoded, int maxLength) {
		require(encoded.length <= maxLength, "is longer than " + maxLength + " bytes");
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
			byte version = in.readByte();
			require(version == VERSION_1 || version == VERSION_2, "has the unknown format " + version);
			String traceId = (version == VERSION_2) ? requireTraceId(in.readUTF()) : null;
			int status = in.readUnsignedShort();
			int headerCount = in.readUnsignedShort();
			require(headerCount <= MAX_HEADERS, "has too many headers");
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 0; i < headerCount; i++) {
				String name = in.readUTF();
				int valueCount = in.readUnsignedShort();
				requireHeader(name, valueCount);
				require(!headers.containsKey(name), "repeats a header");
				List<String> values = new ArrayList<>(valueCount);
				for (int j = 0; j < valueCount; j++) {
					values.add(requireValue(in.readUTF()));
				}
				headers.put(name, values);
			}
			int bodyLength = in.readInt();
			// Checked before allocating: the length is only as trustworthy as the store.
			require(bodyLength >= 0 && bodyLength == in.available(), "has a body length that does not match");
			byte[] body = new byte[bodyLength];
			in.readFully(body);
			return new StoredResponse(status, headers, body, traceId);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Corrupt stored response", ex);
		}
	}

	private static void requireHeader(String name, int valueCount) {
		require(isToken(name), "has an invalid header name");
		require(valueCount <= MAX_VALUES_PER_HEADER, "has too many values of one header");
	}

	private static String requireValue(String value) {
		require(isFieldValue(value), "has a header value with control characters");
		return value;
	}

	private static String requireTraceId(String traceId) {
		require(!traceId.isEmpty() && traceId.length() <= StoredResponse.MAX_TRACE_ID_LENGTH
				&& traceId.chars().allMatch((c) -> c > 0x20 && c < 0x7f), "has an invalid trace id");
		return traceId;
	}

	private static void require(boolean valid, String problem) {
		if (!valid) {
			throw new IllegalArgumentException("Stored response " + problem);
		}
	}

	/** RFC 9110 token: what a header name may be. */
	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	/** No CR, LF or other control character (tab aside) that could split a header. */
	private static boolean isFieldValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				return false;
			}
		}
		return true;
	}

}
