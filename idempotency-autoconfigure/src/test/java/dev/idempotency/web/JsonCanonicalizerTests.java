package dev.idempotency.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes two JSON bodies the same request.
 */
class JsonCanonicalizerTests {

	@Test
	void memberOrderAndWhitespaceDoNotMatter() {
		assertThat(canonical("{ \"b\": 1.50, \"a\": [true, null] }")).isEqualTo("{\"a\":[true,null],\"b\":1.50}");
	}

	@Test
	void nestedObjectsAreSortedAtEveryLevel() {
		assertThat(canonical(
				"[{\"z\":{\"y\":1,\"x\":{\"b\":[{\"d\":1,\"c\":2}],\"a\":\"\"}},\"a\":{}}, {\"b\":1,\"a\":2}]"))
			.isEqualTo("[{\"a\":{},\"z\":{\"x\":{\"a\":\"\",\"b\":[{\"c\":2,\"d\":1}]},\"y\":1}},{\"a\":2,\"b\":1}]");
	}

	@Test
	void membersOfOneNameKeepTheirOrder() {
		// Jackson keeps the last of them: these are different requests.
		assertThat(canonical("{\"b\":0,\"a\":1,\"a\":2}")).isEqualTo("{\"a\":1,\"a\":2,\"b\":0}");
		assertThat(canonical("{\"a\":2,\"b\":0,\"a\":1}")).isEqualTo("{\"a\":2,\"a\":1,\"b\":0}");
	}

	@Test
	void aNameSortsBeforeTheLongerNamesItBegins() {
		assertThat(canonical("{\"ab\":1,\"a!\":2,\"a\":3,\"é\":4,\"z\":5}"))
			.isEqualTo("{\"a\":3,\"a!\":2,\"ab\":1,\"z\":5,\"é\":4}");
	}

	@Test
	void documentsThatAreNotJsonHaveNoCanonicalForm() {
		assertThat(List.of("", " ", "{", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\"}", "{a:1}", "{\"a\":1}}", "\"\\u00G1\"",
				"\"\\u\u0660\u0660\u0664\u0661\"", "\"tab\there\"", "\"\\x\"", "\"open", "tru", "nul", "[true false]",
				"'a'", "{\"a\":1} x"))
			.allSatisfy((json) -> assertThat(canonical(json)).as(json).isNull());
	}

	@Test
	void documentsNestedDeeperThanTheLimitHaveNoCanonicalForm() {
		int limit = JsonCanonicalizer.MAX_DEPTH;
		assertThat(canonical("[".repeat(limit) + "]".repeat(limit))).isNotNull();
		assertThat(canonical("[".repeat(limit + 1) + "]".repeat(limit + 1))).isNull();
		assertThat(canonical("{\"a\":".repeat(limit + 1) + "1" + "}".repeat(limit + 1))).isNull();
	}

	@Test
	void theCanonicalFormReadsAsTheSameDocumentAndIsItsOwnCanonicalForm() {
		JsonMapper mapper = JsonMapper.builder().build();
		assertThat(List.of(
				"{\"b\":[1, 2.50, {\"z\":null,\"y\":true}], \"a\":\"x\\\"y\\u00e9\\ud83d\\ude00\\/\", \"c\":-0.0e-3}",
				"[{\"amount\":100,\"currency\":\"EUR\"}, {\"currency\":\"USD\",\"amount\":1E+2}]",
				"\"\\u0000\\u001f\\t\u00e9\u20ac\"", "{\"\":{\"\":[]}, \" \":\"\"}", "\r\n 12 \t", "false"))
			.allSatisfy((json) -> {
				String canonical = canonical(json);
				assertThat(mapper.readTree(canonical)).as(json).isEqualTo(mapper.readTree(json));
				assertThat(canonical(canonical)).as(json).isEqualTo(canonical);
			});
	}

	@Test
	void differentValuesStayDifferent() {
		assertThat(canonical("{\"amount\":100}")).isNotEqualTo(canonical("{\"amount\":1000}"));
	}

	@Test
	void loneSurrogatesAreWrittenAsEscapesSoTheFormIsValidUtf8() {
		assertThat(canonical("[\"cust-\\ud800\", \"\\udc00x\", \"\\uDC00\\ud800\"]"))
			.isEqualTo("[\"cust-\\ud800\",\"\\udc00x\",\"\\udc00\\ud800\"]");
		assertThat(canonical("[\"cust-\ud800\"]")).isEqualTo("[\"cust-\\ud800\"]");
	}

	@Test
	void aSurrogatePairIsOneCharacterHoweverItIsSpelled() {
		assertThat(canonical("\"\\ud83d\\ude00\"")).isEqualTo(canonical("\"\ud83d\ude00\"")).isEqualTo("\"😀\"");
	}

	@Test
	void stringsAreEscapedOneWay() {
		assertThat(canonical("\"\\u0041\\/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\u007f\""))
			.isEqualTo("\"A/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\u007f\"");
	}

	@Test
	void numbersAreKeptAsSpelledByDefault() {
		// Jackson binds each of these into a String or BigDecimal field differently.
		assertThat(Stream.of("100", "100.0", "1e2", "1E2", "1e+2", "-0", "0")
			.map((number) -> canonical("{\"amount\":" + number + "}"))).containsExactly("{\"amount\":100}",
					"{\"amount\":100.0}", "{\"amount\":1e2}", "{\"amount\":1E2}", "{\"amount\":1e+2}",
					"{\"amount\":-0}", "{\"amount\":0}");
	}

	@Test
	void numbersAreComparedByValueWhenNormalisationIsOn() {
		assertThat(Stream.of("100", "100.0", "1e2", "1E+2", "100.00e0")
			.map((number) -> normalized("[" + number + ", -0, 0.0, 1.50]"))).containsOnly("[1E+2,0,0,1.5]");
		assertThat(normalized("[7, -15, 120, 10.5e1, 1e-7, 12345678901234567890123456789]"))
			.isEqualTo("[7,-15,1.2E+2,105,1E-7,12345678901234567890123456789]");
	}

	@Test
	void numbersBeyondBigDecimalAreKeptOutOfTheCanonicalForm() {
		assertThat(List.of("1e2147483648", "1e-2147483649", "100e2147483647", "0.1e-2147483647"))
			.allSatisfy((number) -> assertThat(normalized("[" + number + "]")).as(number).isNull());
	}

	@Test
	void numbersAreCheckedAgainstTheGrammar() {
		assertThat(List.of("01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "1.e3", "--1", "NaN"))
			.allSatisfy((number) -> {
				assertThat(canonical("[" + number + "]")).as(number).isNull();
				assertThat(normalized("[" + number + "]")).as(number).isNull();
			});
	}

	@Test
	void aHugeNumberIsKeptAsSpelledInsteadOfHoldingTheThread() {
		String huge = "1" + "0".repeat(400_000);
		long start = System.nanoTime();
		String canonical = normalized("{\"amount\":" + huge + "}");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(canonical).contains(huge);
	}

	private static @Nullable String canonical(String json) {
		return canonicalize(json, false);
	}

	private static @Nullable String normalized(String json) {
		return canonicalize(json, true);
	}

	/** Decodes the canonical form strictly, so that a test fails if it is not UTF-8. */
	private static @Nullable String canonicalize(String json, boolean normalizeNumbers) {
		ByteBuffer canonical = JsonCanonicalizer.canonicalize(CharBuffer.wrap(json.toCharArray()), normalizeNumbers);
		if (canonical == null) {
			return null;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(canonical).toString();
		}
		catch (CharacterCodingException ex) {
			throw new AssertionError("Canonical form of " + json + " is not UTF-8", ex);
		}
	}

}
