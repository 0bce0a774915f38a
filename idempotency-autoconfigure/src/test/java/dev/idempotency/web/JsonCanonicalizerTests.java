package dev.idempotency.web;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

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

	private static String canonical(String json) {
		return JsonCanonicalizer.canonicalize(json, false);
	}

	private static String normalized(String json) {
		return JsonCanonicalizer.canonicalize(json, true);
	}

}
