package dev.idempotency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdempotencyKeyTests {

	@Test
	void equalPartsMakeEqualKeys() {
		IdempotencyKey key = new IdempotencyKey("tenant-a", "POST /payments", "key-1");
		assertThat(key).isEqualTo(new IdempotencyKey("tenant-a", "POST /payments", "key-1"))
			.hasSameHashCodeAs(new IdempotencyKey("tenant-a", "POST /payments", "key-1"))
			.isNotEqualTo(new IdempotencyKey("tenant-b", "POST /payments", "key-1"))
			.isNotEqualTo(new IdempotencyKey("tenant-a", "POST /refunds", "key-1"))
			.isNotEqualTo(new IdempotencyKey("tenant-a", "POST /payments", "key-2"));
		assertThat(key.toString())
			.startsWith("IdempotencyKey[scope=tenant-a, endpoint=POST /payments, clientKey=***(5), digest=")
			.doesNotContain("key-1");
		assertThat(IdempotencyKey.masked("8f14e45f-ceea-467f-a0e6-e1b6d8b1c2a3")).isEqualTo("8f14***(36)");
	}

	@Test
	void digestIsSha256OfTheLengthPrefixedParts() {
		IdempotencyKey key = new IdempotencyKey("tenant-a", "POST /payments", "key-1");
		assertThat(key.encoded()).isEqualTo("8:tenant-a14:POST /payments5:key-1");
		// Stored in databases and Redis keys: it must never change between versions.
		assertThat(key.digest()).isEqualTo("F2TuraFaU5VIctdssYfEU8HTrGFb6VTVkFPZpJF7E7c");
	}

	@Test
	void partsThatShiftADelimiterAreDifferentKeys() {
		IdempotencyKey one = new IdempotencyKey("a:b", "POST /x", "k");
		IdempotencyKey other = new IdempotencyKey("a", "b:POST /x", "k");
		assertThat(one.digest()).isNotEqualTo(other.digest());
	}

	@Test
	void emptyOrOverlongPartsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IdempotencyKey("", "POST /x", "k"));
		assertThatIllegalArgumentException().isThrownBy(() -> new IdempotencyKey("t", "POST /x", "k".repeat(256)));
		assertThatIllegalArgumentException().isThrownBy(() -> new IdempotencyKey("t", "/".repeat(513), "k"));
	}

}
