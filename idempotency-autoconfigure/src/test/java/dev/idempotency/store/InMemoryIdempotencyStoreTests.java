package dev.idempotency.store;

import java.time.Duration;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InMemoryIdempotencyStoreTests extends IdempotencyStoreContractTests {

	@Override
	protected IdempotencyStore createStore() {
		return new InMemoryIdempotencyStore();
	}

	@Test
	void evictsTheCompletedRecordClosestToExpiryWhenFull() {
		InMemoryIdempotencyStore bounded = new InMemoryIdempotencyStore();
		bounded.setMaxEntries(2);
		IdempotencyKey early = newKey();
		IdempotencyKey late = newKey();
		String earlyToken = ((ClaimResult.Acquired) bounded.claim(early, "fp", LOCK)).lockToken();
		bounded.complete(early, earlyToken, response(200, "early"), Duration.ofMinutes(1));
		String lateToken = ((ClaimResult.Acquired) bounded.claim(late, "fp", LOCK)).lockToken();
		bounded.complete(late, lateToken, response(200, "late"), Duration.ofHours(1));

		assertThat(bounded.claim(newKey(), "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
		assertThat(bounded.size()).isEqualTo(2);
		assertThat(bounded.find(early)).isEmpty();
		assertThat(bounded.find(late)).isPresent();
	}

	@Test
	void refusesAClaimWhenFullOfRequestsInFlight() {
		InMemoryIdempotencyStore bounded = new InMemoryIdempotencyStore();
		bounded.setMaxEntries(1);
		bounded.claim(newKey(), "fp", LOCK);
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> bounded.claim(newKey(), "fp", LOCK));
	}

}
