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
 * kept byte for byte.
 */
public final class StoredResponseCodec {

	private static final byte VERSION = 1;

	private StoredResponseCodec() {
	}

	public static byte[] encode(StoredResponse response) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(response.bodyLength() + 128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
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
		return bytes.toByteArray();
	}

	public static StoredResponse decode(byte[] encoded) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
			byte version = in.readByte();
			if (version != VERSION) {
				throw new IllegalArgumentException("Unknown stored response format " + version);
			}
			int status = in.readUnsignedShort();
			int headerCount = in.readUnsignedShort();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 0; i < headerCount; i++) {
				String name = in.readUTF();
				int valueCount = in.readUnsignedShort();
				List<String> values = new ArrayList<>(valueCount);
				for (int j = 0; j < valueCount; j++) {
					values.add(in.readUTF());
				}
				headers.put(name, values);
			}
			byte[] body = new byte[in.readInt()];
			in.readFully(body);
			return new StoredResponse(status, headers, body);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("Corrupt stored response", ex);
		}
	}

}
