package dev.idempotency.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Decoding bytes that whoever can write to Redis or the table may have crafted.
 */
class StoredResponseCodecTests {

	@Test
	void decodesWhatItEncoded() {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("Content-Type", List.of("application/json"));
		headers.put("Link", List.of("</a>; rel=\"next\"", "</b>;\trel=\"prev\""));
		StoredResponse response = new StoredResponse(201, headers, "{}".getBytes(StandardCharsets.UTF_8));
		assertThat(StoredResponseCodec.decode(StoredResponseCodec.encode(response))).isEqualTo(response);
	}

	@Test
	void refusesABodyLengthBeyondTheBytesThatFollow() {
		byte[] crafted = encoded(List.of(), Integer.MAX_VALUE, new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("body length");
	}

	@Test
	void refusesANegativeBodyLength() {
		byte[] crafted = encoded(List.of(), -1, new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted));
	}

	@Test
	void refusesBytesAfterTheBody() {
		byte[] crafted = encoded(List.of(), 1, new byte[] { 'a', 'b' });
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted));
	}

	@Test
	void refusesMoreHeadersThanTheLimit() {
		List<Map.Entry<String, List<String>>> headers = new ArrayList<>();
		for (int i = 0; i <= StoredResponseCodec.MAX_HEADERS; i++) {
			headers.add(Map.entry("X-Header-" + i, List.of("v")));
		}
		byte[] crafted = encoded(headers, 0, new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("too many headers");
	}

	@Test
	void refusesMoreValuesOfOneHeaderThanTheLimit() {
		List<String> values = Collections.nCopies(StoredResponseCodec.MAX_VALUES_PER_HEADER + 1, "v");
		byte[] crafted = encoded(List.of(Map.entry("Link", values)), 0, new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("too many values");
	}

	@Test
	void refusesAHeaderNameThatWouldSplitTheHeaderBlock() {
		byte[] crafted = encoded(List.of(Map.entry("X-A\r\nSet-Cookie", List.of("session=stolen"))), 0, new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("header name");
	}

	@Test
	void refusesAHeaderValueWithALineBreak() {
		byte[] crafted = encoded(List.of(Map.entry("Location", List.of("/a\r\nSet-Cookie: session=stolen"))), 0,
				new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("control characters");
	}

	@Test
	void refusesARepeatedHeaderName() {
		byte[] crafted = encoded(List.of(Map.entry("Location", List.of("/a")), Map.entry("Location", List.of("/b"))), 0,
				new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("repeats");
	}

	@Test
	void refusesInputOverTheOverallCap() {
		byte[] valid = StoredResponseCodec.encode(new StoredResponse(200, Map.of(), new byte[32]));
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(valid, valid.length - 1))
			.withMessageContaining("longer than");
		assertThat(StoredResponseCodec.decode(valid, valid.length).bodyLength()).isEqualTo(32);
	}

	@Test
	void refusesToEncodeWhatItWouldRefuseToDecode() {
		StoredResponse unreadable = new StoredResponse(200, Map.of("Location", List.of("/a\nb")), new byte[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.encode(unreadable));
	}

	/**
	 * The format, written field by field with whatever counts and lengths a test wants.
	 */
	static byte[] encoded(List<Map.Entry<String, List<String>>> headers, int bodyLength, byte[] body) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(1);
			out.writeShort(200);
			out.writeShort(headers.size());
			for (Map.Entry<String, List<String>> header : headers) {
				out.writeUTF(header.getKey());
				out.writeShort(header.getValue().size());
				for (String value : header.getValue()) {
					out.writeUTF(value);
				}
			}
			out.writeInt(bodyLength);
			out.write(body);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

}
