package dev.idempotency.store;

import java.time.Duration;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.StoreLayer;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The two-layer rules over in-memory layers that can fail or forget; the same rules run
 * against real Redis and PostgreSQL in {@link TwoLayerRealServersTests} and
 * {@link TwoLayerStalledRedisRealServersTests}.
 */
class TwoLayerIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private final FlakyStore cache = new FlakyStore();

	private final FlakyStore authority = new FlakyStore();

	private final StringBuilder events = new StringBuilder();

	private TwoLayerIdempotencyStore twoLayer;

	@Override
	protected IdempotencyStore createStore() {
		twoLayer = new TwoLayerIdempotencyStore(cache, authority);
		twoLayer.setCacheRetryInterval(Duration.ofMillis(300));
		twoLayer.setListener(new IdempotencyListener() {

			@Override
			public void onBackfill(StoreLayer layer) {
				events.append("backfill:").append(layer).append(' ');
			}

			@Override
			public void onFallback(StoreLayer layer) {
				events.append("fallback:").append(layer).append(' ');
			}

		});
		return twoLayer;
	}

	private StoredResponse completeNew(IdempotencyKey key) {
		String token = acquire(key, "fp", LOCK);
		StoredResponse response = response(201, "{\"id\":1}");
		assertThat(store.complete(key, token, response, RETENTION)).isTrue();
		return response;
	}

	@Test
	void renewsTheLockInTheAuthorityAlone() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		int cacheCalls = cache.calls.get();
		int authorityCalls = authority.calls.get();
		assertThat(store.renew(key, token, LOCK)).isTrue();
		assertThat(cache.calls).hasValue(cacheCalls);
		assertThat(authority.calls).hasValue(authorityCalls + 1);
	}

	@Test
	void replaysFromTheCacheWithoutAskingTheAuthority() {
		IdempotencyKey key = newKey();
		StoredResponse response = completeNew(key);
		int authorityCalls = authority.calls.get();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		assertThat(authority.calls).hasValue(authorityCalls);
	}

	@Test
	void refusesInFlightFromTheCacheWithoutAskingTheAuthority() {
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		int authorityCalls = authority.calls.get();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(authority.calls).hasValue(authorityCalls);
	}

	@Test
	void aCacheThatLostItsDataNeverGrantsASecondExecution() {
		IdempotencyKey key = newKey();
		StoredResponse response = completeNew(key);
		cache.loseEverything();

		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		assertThat(events).contains("backfill:REDIS");
		int authorityCalls = authority.calls.get();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
		assertThat(authority.calls).as("served from the back-filled cache").hasValue(authorityCalls);
	}

	@Test
	void aCacheThatLostAnInFlightClaimStillRefusesAndTheOwnersCompletionReplacesTheRetrysMarker() {
		IdempotencyKey key = newKey();
		String owner = acquire(key, "fp", LOCK);
		cache.loseEverything();

		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		int authorityCalls = authority.calls.get();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(authority.calls).as("the retry's marker answers the next retry").hasValue(authorityCalls);

		assertThat(store.complete(key, owner, response(200, "done"), RETENTION)).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(200, "done")));
		assertThat(authority.calls).as("replayed from the cache").hasValue(authorityCalls + 1);
	}

	@Test
	void theOwnersReleaseRemovesARetrysMarker() {
		IdempotencyKey key = newKey();
		String owner = acquire(key, "fp", LOCK);
		cache.loseEverything();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.InFlight.class);

		assertThat(store.release(key, owner)).isTrue();
		assertThat(cache.find(key)).isEmpty();
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Acquired.class);
	}

	@Test
	void theCacheHoldsInFlightMarkersNoLongerThanTheCacheLockTimeout() throws InterruptedException {
		twoLayer.setCacheLockTimeout(Duration.ofMillis(500));
		IdempotencyKey key = newKey();
		acquire(key, "fp", LOCK);
		assertThat(cache.find(key)).isPresent();
		Thread.sleep(600);
		assertThat(cache.find(key)).isEmpty();
		assertThat(store.claim(key, "fp", LOCK)).as("the authority still has it")
			.isInstanceOf(ClaimResult.InFlight.class);
	}

	@Test
	void aMismatchInTheCacheIsConfirmedByTheAuthority() {
		IdempotencyKey key = newKey();
		String corrected = ((ClaimResult.Acquired) authority.claim(key, "fp-b", LOCK)).lockToken();
		authority.complete(key, corrected, response(201, "b"), RETENTION);
		cache.claim(key, "fp-a", LOCK);

		assertThat(store.claim(key, "fp-b", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "b")));
		assertThat(events).contains("backfill:REDIS");
		int authorityCalls = authority.calls.get();
		assertThat(store.claim(key, "fp-b", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "b")));
		assertThat(authority.calls).as("the written-back replay").hasValue(authorityCalls);
		assertThat(store.claim(key, "fp-a", LOCK)).isEqualTo(new ClaimResult.Mismatch());
	}

	@Test
	void aMismatchInTheCacheStandsWhileTheAuthorityIsDown() {
		IdempotencyKey key = newKey();
		completeNew(key);
		authority.setDown(true);
		assertThat(store.claim(key, "other", LOCK)).isEqualTo(new ClaimResult.Mismatch());
	}

	@Test
	void aCacheThatLostAClaimReportsAMismatchFromTheAuthority() {
		IdempotencyKey key = newKey();
		acquire(key, "fp-1", LOCK);
		cache.loseEverything();
		assertThat(store.claim(key, "fp-2", LOCK)).isEqualTo(new ClaimResult.Mismatch());
		assertThat(cache.find(key)).isEmpty();
	}

	@Test
	void goesOnWithTheAuthorityAloneWhileTheCacheIsDownAndRecovers() throws InterruptedException {
		IdempotencyKey key = newKey();
		cache.setDown(true);
		String token = acquire(key, "fp", LOCK);
		assertThat(twoLayer.isDegraded()).isTrue();
		assertThat(store.claim(key, "fp", LOCK)).as("no duplicate while degraded")
			.isInstanceOf(ClaimResult.InFlight.class);
		assertThat(store.complete(key, token, response(201, "paid"), RETENTION)).isTrue();
		assertThat(events).contains("fallback:REDIS");

		int cacheCalls = cache.calls.get();
		store.claim(newKey(), "fp", LOCK);
		assertThat(cache.calls).as("the open breaker skips the cache").hasValue(cacheCalls);

		cache.setDown(false);
		Thread.sleep(400);
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response(201, "paid")));
		assertThat(twoLayer.isDegraded()).isFalse();
		assertThat(cache.find(key)).as("back-filled after recovery").isPresent();
	}

	@Test
	void failsClosedWhenTheAuthorityIsDownAndLeavesNoCacheMarker() {
		IdempotencyKey key = newKey();
		authority.setDown(true);
		assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(() -> store.claim(key, "fp", LOCK));
		assertThat(cache.find(key)).isEmpty();
	}

	@Test
	void findReportsTheAuthoritysTimesOfAResponseBothLayersHold() {
		IdempotencyKey key = newKey();
		completeNew(key);
		assertThat(cache.find(key).orElseThrow().createdAt()).isNull();
		assertThat(store.find(key)).isEqualTo(authority.find(key));
	}

	@Test
	void findReportsAResponseOnlyTheCacheKeptWhenTheAuthorityCouldNotStoreIt() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		authority.setDown(true);
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> store.complete(key, token, response(201, "kept"), RETENTION));
		assertThat(held(store.find(key))).as("the authority is down")
			.contains(new IdempotencyRecord("fp", response(201, "kept")));
		authority.setDown(false);
		assertThat(authority.find(key).orElseThrow().isCompleted()).isFalse();
		assertThat(held(store.find(key))).as("the authority has it in flight")
			.contains(new IdempotencyRecord("fp", response(201, "kept")));
	}

	@Test
	void replaysCompletedResponsesFromTheCacheEvenWhileTheAuthorityIsDown() {
		IdempotencyKey key = newKey();
		StoredResponse response = completeNew(key);
		authority.setDown(true);
		assertThat(store.claim(key, "fp", LOCK)).isEqualTo(new ClaimResult.Completed(response));
	}

	@Test
	void aResponseTheAuthorityCouldNotStoreIsStillReplayedFromTheCache() {
		IdempotencyKey key = newKey();
		String token = acquire(key, "fp", LOCK);
		authority.setDown(true);
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> store.complete(key, token, response(200, "x"), RETENTION));
		// The operation ran: a retry must replay it rather than run it again once the
		// authority's lock expires.
		assertThat(store.claim(key, "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
	}

	@Test
	void tokensOfBothLayersAndTheFingerprintSurviveTheirJoin() {
		LayerTokens tokens = LayerTokens.split(LayerTokens.join("12:ab", "f:p", "cd:3"));
		assertThat(tokens).isEqualTo(new LayerTokens("12:ab", "f:p", "cd:3"));
		assertThat(LayerTokens.split(LayerTokens.join("a", "fp", null))).isEqualTo(new LayerTokens("a", "fp", null));
		assertThat(LayerTokens.split("foreign")).isEqualTo(new LayerTokens("foreign", null, null));
	}

}
