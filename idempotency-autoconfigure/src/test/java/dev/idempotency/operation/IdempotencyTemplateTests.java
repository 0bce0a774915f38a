package dev.idempotency.operation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.OnInFlight;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.LeaseKeeper;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IdempotencyTemplateTests {

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

	private final LeaseKeeper leases = new LeaseKeeper(store, IdempotencyListener.NONE);

	private final IdempotencyTemplate template = new IdempotencyTemplate(
			new IdempotencyEngine(store, IdempotencyListener.NONE, leases),
			new ResultCodec(JsonMapper.builder().build()),
			new OperationDefaults(Duration.ofSeconds(30), Duration.ofHours(1), OnInFlight.REJECT, Duration.ZERO));

	private final AtomicInteger runs = new AtomicInteger();

	@AfterEach
	void closeLeases() {
		leases.close();
	}

	@Test
	void aDuplicateGetsTheStoredResultReadBackIntoItsType() {
		Charge first = template.call("charges", "k1").input("pay_1", 500).execute(Charge.class, this::charge);
		Charge second = template.call("charges", "k1").input("pay_1", 500).execute(Charge.class, this::charge);

		assertThat(second).isEqualTo(first);
		assertThat(runs).hasValue(1);
	}

	@Test
	void genericResultsReadBackWithTheirElementType() {
		Object first = template.call("charges", "k1").executeAs(new TypeReference<List<Charge>>() {
		}.getType(), () -> List.of(charge()));
		Object second = template.call("charges", "k1").executeAs(new TypeReference<List<Charge>>() {
		}.getType(), () -> List.of(charge()));

		assertThat(second).isEqualTo(first)
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.first()
			.isInstanceOf(Charge.class);
	}

	@Test
	void nullResultsAndRunnablesAreRememberedToo() {
		assertThat(template.call("charges", "k1").execute(Charge.class, () -> {
			runs.incrementAndGet();
			return null;
		})).isNull();
		assertThat(template.call("charges", "k1").execute(Charge.class, this::charge)).isNull();
		template.call("notify", "k2").run(runs::incrementAndGet);
		template.call("notify", "k2").run(runs::incrementAndGet);

		assertThat(runs).hasValue(2);
	}

	@Test
	void anotherInputUnderTheSameKeyIsAReusedKeyAndMapsCompareByContent() {
		template.call("charges", "k1").input(Map.of("a", 1, "b", 2)).execute(Charge.class, this::charge);

		template.call("charges", "k1").input(Map.of("b", 2, "a", 1)).execute(Charge.class, this::charge);
		assertThatExceptionOfType(IdempotencyKeyReusedException.class)
			.isThrownBy(() -> template.call("charges", "k1").input(Map.of("a", 1)).execute(Charge.class, this::charge));
		assertThat(runs).hasValue(1);
	}

	@Test
	void namesAndScopesKeepKeysApartAndLongKeysStayDistinct() {
		template.call("charges", "k1").execute(Charge.class, this::charge);
		template.call("refunds", "k1").execute(Charge.class, this::charge);
		template.call("charges", "k1").scope("tenant-b").execute(Charge.class, this::charge);
		template.call("charges", "x".repeat(300)).execute(Charge.class, this::charge);
		template.call("charges", "x".repeat(299) + "y").execute(Charge.class, this::charge);

		assertThat(runs).hasValue(5);
	}

	@Test
	void codeThatThrowsFreesTheKey() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> template.call("charges", "k1").execute(Charge.class, () -> {
				runs.incrementAndGet();
				throw new IllegalStateException("declined");
			}));
		template.call("charges", "k1").execute(Charge.class, this::charge);

		assertThat(runs).hasValue(2);
	}

	private Charge charge() {
		return new Charge("ch_" + runs.incrementAndGet(), 500);
	}

	record Charge(String id, long amount) {
	}

}
