package dev.idempotency.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes two JSON bodies the same request.
 */
class JsonCanonicalizerTests {

	@Test
	void memberOrderWhitespaceAndNumberSpellingDoNotMatter() {
		assertThat(JsonCanonicalizer.canonicalize("{ \"b\": 1.50, \"a\": [true, null] }"))
			.isEqualTo(JsonCanonicalizer.canonicalize("{\"a\":[true,null],\"b\":1.5}"));
	}

	@Test
	void differentValuesStayDifferent() {
		assertThat(JsonCanonicalizer.canonicalize("{\"amount\":100}"))
			.isNotEqualTo(JsonCanonicalizer.canonicalize("{\"amount\":1000}"));
	}

	@Test
	void aHugeNumberIsKeptAsSpelledInsteadOfHoldingTheThread() {
		String huge = "1" + "0".repeat(400_000);
		long start = System.nanoTime();
		String canonical = JsonCanonicalizer.canonicalize("{\"amount\":" + huge + "}");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(canonical).contains(huge);
	}

}
