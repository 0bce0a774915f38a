package dev.idempotency.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StatusPolicyTests {

	@Test
	void rangesIncludeTheirBoundsOnly() {
		StatusPolicy successes = StatusPolicy.SUCCESSES;

		assertThat(successes.stores(199)).isFalse();
		assertThat(successes.stores(200)).isTrue();
		assertThat(successes.stores(299)).isTrue();
		assertThat(successes.stores(300)).isFalse();
	}

	@Test
	void exclusionsWinOverRangesAndExactStatusesAddToThem() {
		StatusPolicy policy = StatusPolicy.parse(List.of("2xx", "4xx", "!409", "!429", "503"));

		assertThat(policy.stores(201)).isTrue();
		assertThat(policy.stores(400)).isTrue();
		assertThat(policy.stores(404)).isTrue();
		assertThat(policy.stores(408)).isTrue();
		assertThat(policy.stores(409)).isFalse();
		assertThat(policy.stores(410)).isTrue();
		assertThat(policy.stores(429)).isFalse();
		assertThat(policy.stores(500)).isFalse();
		assertThat(policy.stores(503)).isTrue();
		assertThat(policy.stores(302)).isFalse();
	}

	@Test
	void everyStatusStoresWhatAHandlerCanWrite() {
		assertThat(StatusPolicy.EVERY_STATUS.stores(200)).isTrue();
		assertThat(StatusPolicy.EVERY_STATUS.stores(304)).isTrue();
		assertThat(StatusPolicy.EVERY_STATUS.stores(422)).isTrue();
		assertThat(StatusPolicy.EVERY_STATUS.stores(599)).isTrue();
		assertThat(StatusPolicy.EVERY_STATUS.stores(100)).isFalse();
	}

	@Test
	void entriesAreReadLeniently() {
		assertThat(StatusPolicy.parse(List.of(" 2XX ", "!5Xx")).toString()).isEqualTo("2xx, !5xx");
	}

	@Test
	void refusesWhatIsNotAStatusAndAPolicyThatStoresNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> StatusPolicy.parse(List.of("2xx", "600")));
		assertThatIllegalArgumentException().isThrownBy(() -> StatusPolicy.parse(List.of("20x")));
		assertThatIllegalArgumentException().isThrownBy(() -> StatusPolicy.parse(List.of("success")));
		assertThatIllegalArgumentException().isThrownBy(() -> StatusPolicy.parse(List.of("!409")))
			.withMessageContaining("store something");
		assertThatIllegalArgumentException().isThrownBy(() -> StatusPolicy.parse(List.of()));
	}

}
