package dev.idempotency.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InMemoryIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private final SteppedClock clock = new SteppedClock();

	@Override
	protected IdempotencyStore createStore() {
		return new InMemoryIdempotencyStore();
	}

	@Test
	void refusesNewKeysWhenFullRatherThanEvictingAnotherClientsResponse() {
		InMemoryIdempotencyStore full = bounded(2);
		IdempotencyKey first = completed(full, RETENTION);
		IdempotencyKey second = completed(full, RETENTION);

		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> full.claim(newKey(), "fp", LOCK))
			.withMessageContaining("idempotency.in-memory.max-entries");
		assertThat(full.claim(first, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
		assertThat(full.claim(second, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
	}

	@Test
	void refusesNewKeysWhenFullOfRequestsInFlightAndStillAnswersThem() {
		InMemoryIdempotencyStore full = bounded(1);
		IdempotencyKey running = newKey();
		full.claim(running, "fp", LOCK);

		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> full.claim(newKey(), "fp", LOCK));
		assertThat(full.claim(running, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(full.claim(running, "other", LOCK)).isInstanceOf(ClaimResult.Mismatch.class);
	}

	@Test
	void expiredRecordsMakeRoomForNewKeys() {
		InMemoryIdempotencyStore full = bounded(2);
		IdempotencyKey expiring = completed(full, Duration.ofMinutes(1));
		IdempotencyKey kept = completed(full, RETENTION);
		clock.advance(Duration.ofMinutes(1));

		assertThat(full.claim(newKey(), "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
		assertThat(full.size()).isEqualTo(2);
		assertThat(full.find(expiring)).isEmpty();
		assertThat(full.claim(kept, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
	}

	@Test
	void expiredLocksMakeRoomForNewKeys() {
		InMemoryIdempotencyStore full = bounded(1);
		full.claim(newKey(), "fp", Duration.ofSeconds(5));
		clock.advance(Duration.ofSeconds(5));

		assertThat(full.claim(newKey(), "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
		assertThat(full.size()).isEqualTo(1);
	}

	@Test
	void aFullStoreTakesOverTheExpiredLockOfAKeyItHolds() {
		InMemoryIdempotencyStore full = bounded(1);
		IdempotencyKey crashed = newKey();
		full.claim(crashed, "fp", Duration.ofSeconds(5));
		clock.advance(Duration.ofSeconds(5));

		assertThat(full.claim(crashed, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void eachClaimPurgesABoundedBatchOfExpiredRecordsInExpiryOrder() {
		int max = 3 * InMemoryIdempotencyStore.PURGE_BATCH;
		InMemoryIdempotencyStore store = bounded(max);
		for (int i = 0; i < max; i++) {
			completed(store, Duration.ofMinutes(1));
		}
		clock.advance(Duration.ofMinutes(1));

		store.claim(newKey(), "fp", LOCK);
		assertThat(store.size()).isEqualTo(max - InMemoryIdempotencyStore.PURGE_BATCH + 1);
		store.claim(newKey(), "fp", LOCK);
		assertThat(store.size()).isEqualTo(max - 2 * InMemoryIdempotencyStore.PURGE_BATCH + 2);
	}

	@Test
	void releasedAndCompletedKeysLeaveNothingBehindToPurge() {
		InMemoryIdempotencyStore store = bounded(10);
		IdempotencyKey released = newKey();
		store.release(released, ((ClaimResult.Acquired) store.claim(released, "fp", LOCK)).lockToken());
		completed(store, RETENTION);

		assertThat(store.size()).isEqualTo(1);
		assertThat(store.scheduledExpiries()).isEqualTo(1);
	}

	@Test
	void renewedLockExpiresAtItsNewTimeout() {
		InMemoryIdempotencyStore store = bounded(10);
		IdempotencyKey key = newKey();
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", Duration.ofSeconds(5))).lockToken();
		clock.advance(Duration.ofSeconds(4));
		assertThat(store.renew(key, token, Duration.ofSeconds(5))).isTrue();
		clock.advance(Duration.ofSeconds(4));
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		clock.advance(Duration.ofSeconds(1));
		assertThat(store.renew(key, token, Duration.ofSeconds(5))).isFalse();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void fencingTokensIncreaseWhileTheClockStandsStill() {
		InMemoryIdempotencyStore store = bounded(10);
		IdempotencyKey key = newKey();
		ClaimResult.Acquired first = (ClaimResult.Acquired) store.claim(key, "fp", LOCK);
		store.release(key, first.lockToken());
		ClaimResult.Acquired second = (ClaimResult.Acquired) store.claim(key, "fp", LOCK);
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
	}

	private InMemoryIdempotencyStore bounded(int maxEntries) {
		InMemoryIdempotencyStore bounded = new InMemoryIdempotencyStore(clock);
		bounded.setMaxEntries(maxEntries);
		return bounded;
	}

	private static IdempotencyKey completed(InMemoryIdempotencyStore store, Duration retention) {
		IdempotencyKey key = newKey();
		String token = ((ClaimResult.Acquired) store.claim(key, "fp", LOCK)).lockToken();
		assertThat(store.complete(key, token, response(200, "ok"), retention)).isTrue();
		return key;
	}

	/** A clock that moves only when told, so expiry needs no waiting. */
	private static final class SteppedClock extends Clock {

		private Instant now = Instant.parse("2025-01-01T00:00:00Z");

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
