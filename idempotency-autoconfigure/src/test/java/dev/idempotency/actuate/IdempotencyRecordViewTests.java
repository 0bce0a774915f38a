package dev.idempotency.actuate;

import java.time.Instant;
import java.util.Map;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The view of records as stores report them, with and without what a store can tell.
 */
class IdempotencyRecordViewTests {

	private static final IdempotencyKey KEY = new IdempotencyKey("anonymous", "POST /payments", "k-1");

	private static final Instant CREATED = Instant.parse("2026-11-29T21:00:00.123456Z");

	private static final Instant EXPIRES = Instant.parse("2026-11-29T21:00:30.123Z");

	@Test
	void aRecordInFlightShowsItsHeldLockUntilItExpires() {
		IdempotencyRecordView view = IdempotencyRecordView.of(KEY,
				new IdempotencyRecord("fp", null, CREATED, EXPIRES, 7L), false);
		assertThat(view.state()).isEqualTo(IdempotencyRecordView.IN_FLIGHT);
		assertThat(view.createdAt()).isEqualTo(CREATED);
		assertThat(view.expiresAt()).isEqualTo(EXPIRES);
		assertThat(view.lock()).isEqualTo(new IdempotencyRecordView.Lock(true, EXPIRES));
		assertThat(view.fencingToken()).isEqualTo(7L);
		assertThat(view.originalTraceId()).isNull();
	}

	@Test
	void aCompletedRecordShowsNoLockAndTheOriginalTraceId() {
		StoredResponse response = new StoredResponse(201, Map.of(), new byte[] { '{', '}' }, "trace-1");
		IdempotencyRecordView view = IdempotencyRecordView.of(KEY,
				new IdempotencyRecord("fp", response, CREATED, EXPIRES, 7L), false);
		assertThat(view.state()).isEqualTo(IdempotencyRecordView.COMPLETED);
		assertThat(view.expiresAt()).isEqualTo(EXPIRES);
		assertThat(view.lock()).isEqualTo(new IdempotencyRecordView.Lock(false, null));
		assertThat(view.originalTraceId()).isEqualTo("trace-1");
		assertThat(view.headers()).isEmpty();
	}

	@Test
	void aRecordFromAStoreThatCannotTellItsTimesShowsNone() {
		IdempotencyRecordView view = IdempotencyRecordView.of(KEY, new IdempotencyRecord("fp", null), false);
		assertThat(view.createdAt()).isNull();
		assertThat(view.expiresAt()).isNull();
		assertThat(view.lock()).isEqualTo(new IdempotencyRecordView.Lock(true, null));
		assertThat(view.fencingToken()).isNull();
	}

}
