package dev.idempotency.operation;

import java.time.Duration;
import java.util.function.Predicate;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.OnInFlight;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.LeaseKeeper;
import dev.idempotency.operation.IdempotencyTemplateTests.Charge;
import dev.idempotency.store.InMemoryIdempotencyStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The code a template runs is observed inside the idempotent operation's observation.
 */
class IdempotencyTemplateObservationTests {

	private static final Predicate<Observation.ContextView> IS_OPERATION = (context) -> "idempotency.operation"
		.equals(context.getName());

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

	private final LeaseKeeper leases = new LeaseKeeper(store, IdempotencyListener.NONE);

	private final IdempotencyTemplate template = new IdempotencyTemplate(
			new IdempotencyEngine(store, IdempotencyListener.NONE, leases, registry, null),
			new ResultCodec(JsonMapper.builder().build()),
			new OperationDefaults(Duration.ofSeconds(30), Duration.ofHours(1), OnInFlight.REJECT, Duration.ZERO));

	@AfterEach
	void closeLeases() {
		leases.close();
	}

	@Test
	void theActionsOwnObservationNestsUnderTheIdempotentOperation() {
		Charge charge = template.call("charges", "k1").execute(Charge.class, this::observedCharge);
		Charge replayed = template.call("charges", "k1").execute(Charge.class, this::observedCharge);

		assertThat(replayed).isEqualTo(charge);
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("charge", 1)
			.hasObservationWithNameEqualTo("charge")
			.that()
			.hasParentObservationContextMatching(IS_OPERATION);
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("idempotency.operation", 2)
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("idempotent charges")
				.hasLowCardinalityKeyValue("endpoint", "charges")
				.hasLowCardinalityKeyValue("outcome", "executed")
				.hasLowCardinalityKeyValue("completion", "stored"))
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("idempotent replay charges")
				.hasLowCardinalityKeyValue("outcome", "replayed"));
		assertThat(registry.getCurrentObservation()).isNull();
	}

	@Test
	void anActionThatThrowsEndsTheOperationAsReleasedAfterItsScopeIsClosed() {
		assertThatIllegalStateException().isThrownBy(() -> template.call("charges", "k2").run(() -> {
			throw new IllegalStateException("declined");
		}));

		assertThat(registry).hasObservationWithNameEqualTo("idempotency.operation")
			.that()
			.hasLowCardinalityKeyValue("outcome", "executed")
			.hasLowCardinalityKeyValue("completion", "released_error");
		assertThat(registry.getCurrentObservation()).isNull();
	}

	private Charge observedCharge() {
		return Observation.createNotStarted("charge", registry).observe(() -> new Charge("ch_1", 500));
	}

}
