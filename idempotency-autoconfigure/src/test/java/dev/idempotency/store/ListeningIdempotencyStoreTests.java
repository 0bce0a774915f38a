package dev.idempotency.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a {@link ListeningIdempotencyStore} reports of each call.
 */
class ListeningIdempotencyStoreTests {

	private final List<String> events = new ArrayList<>();

	private final ListeningIdempotencyStore store = new ListeningIdempotencyStore(new InMemoryIdempotencyStore(),
			"memory", new IdempotencyListener() {

				@Override
				public void onStoreOperation(String layer, String operation, String result, long nanos) {
					events.add(layer + " " + operation + " " + result);
				}

			});

	@Test
	void reportsRenewalsWithTheirResult() {
		IdempotencyKey key = new IdempotencyKey("tenant", "POST /jobs", "key-1");
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", Duration.ofSeconds(30))).lockToken();
		assertThat(store.renew(key, token, Duration.ofSeconds(30))).isTrue();
		assertThat(store.renew(key, "not-the-token", Duration.ofSeconds(30))).isFalse();
		assertThat(events).containsExactly("memory claim acquired", "memory renew true", "memory renew false");
	}

}
