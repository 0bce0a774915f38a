package dev.idempotency.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyListener.StoreOperation;
import dev.idempotency.IdempotencyListener.StoreResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a {@link ListeningIdempotencyStore} reports of each call.
 */
class ListeningIdempotencyStoreTests {

	private final List<String> events = new ArrayList<>();

	private final ListeningIdempotencyStore store = new ListeningIdempotencyStore(new InMemoryIdempotencyStore(),
			StoreLayer.MEMORY, new IdempotencyListener() {

				@Override
				public void onStoreOperation(StoreLayer layer, StoreOperation operation, StoreResult result,
						long nanos) {
					events.add(layer + " " + operation + " " + result);
				}

			});

	@Test
	void reportsRenewalsWithTheirResult() {
		IdempotencyKey key = new IdempotencyKey("tenant", "POST /jobs", "key-1");
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", Duration.ofSeconds(30))).lockToken();
		assertThat(store.renew(key, token, Duration.ofSeconds(30))).isTrue();
		assertThat(store.renew(key, "not-the-token", Duration.ofSeconds(30))).isFalse();
		assertThat(events).containsExactly("MEMORY CLAIM ACQUIRED", "MEMORY RENEW TRUE", "MEMORY RENEW FALSE");
	}

	@Test
	void reportsEvictionsWithTheirResult() {
		IdempotencyKey key = new IdempotencyKey("tenant", "POST /jobs", "key-2");
		store.claim(key, "fp", Duration.ofSeconds(30));
		assertThat(store.evict(key)).isTrue();
		assertThat(store.evict(key)).isFalse();
		assertThat(events).containsExactly("MEMORY CLAIM ACQUIRED", "MEMORY EVICT TRUE", "MEMORY EVICT FALSE");
	}

}
