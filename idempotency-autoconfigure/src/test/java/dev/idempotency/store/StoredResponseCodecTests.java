package dev.idempotency.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
	void keepsTheTraceIdInVersionTwo() {
		StoredResponse traced = new StoredResponse(201, Map.of("Location", List.of("/a")),
				"{}".getBytes(StandardCharsets.UTF_8), "4bf92f3577b34da6a3ce929d0e0e4736");
		byte[] bytes = StoredResponseCodec.encode(traced);
		assertThat(bytes[0]).isEqualTo((byte) 2);
		assertThat(StoredResponseCodec.decode(bytes)).isEqualTo(traced);
	}

	@Test
	void writesAResponseWithoutATraceIdAsVersionOneByteForByte() {
		StoredResponse untraced = new StoredResponse(200, Map.of("Link", List.of("</b>")), new byte[] { 'o', 'k' });
		assertThat(StoredResponseCodec.encode(untraced))
			.isEqualTo(encoded(List.of(Map.entry("Link", List.of("</b>"))), 2, new byte[] { 'o', 'k' }));
	}

	@Test
	void readsWhatEarlierVersionsWrote() {
		byte[] version1 = encoded(List.of(Map.entry("Location", List.of("/payments/1"))), 2, new byte[] { '{', '}' });
		StoredResponse decoded = StoredResponseCodec.decode(version1);
		assertThat(decoded)
			.isEqualTo(new StoredResponse(200, Map.of("Location", List.of("/payments/1")), new byte[] { '{', '}' }));
		assertThat(decoded.traceId()).isNull();
	}

	@Test
	void refusesATraceIdThatCouldSplitALogLineOrAHeader() {
		byte[] crafted = traced("abc\r\nX-Evil: 1");
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(crafted))
			.withMessageContaining("trace id");
		assertThatIllegalArgumentException().isThrownBy(() -> StoredResponseCodec.decode(traced("")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StoredResponseCodec.decode(traced("a".repeat(StoredResponse.MAX_TRACE_ID_LENGTH + 1))));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StoredResponse(200, Map.of(), new byte[0]).withTraceId("a b"));
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

	/** Version 2 with the given trace id, then an empty response. */
	private static byte[] traced(String traceId) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(2);
			out.writeUTF(traceId);
			out.write(Arrays.copyOfRange(encoded(List.of(), 0, new byte[0]), 1, 9));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
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
