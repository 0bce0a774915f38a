package dev.idempotency.log;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.StoredResponse;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.LeaseKeeper;
import dev.idempotency.engine.OperationPolicy;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The on-call lines carry their outcome as structured key-value pairs (what Spring Boot's
 * ECS and Logstash formats print as fields), with the client key masked.
 */
class OperationLogTests {

	private final Logger engineLogger = (Logger) LoggerFactory.getLogger(IdempotencyEngine.class);

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

	private final LeaseKeeper leases = new LeaseKeeper(store, IdempotencyListener.NONE);

	OperationLogTests() {
		lines.start();
		engineLogger.addAppender(lines);
	}

	@AfterEach
	void detach() {
		engineLogger.detachAppender(lines);
		leases.close();
	}

	@Test
	void aReusedKeyIsLoggedWithItsOutcomeEndpointDigestAndMaskedKey() {
		IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases);
		OperationPolicy policy = new OperationPolicy(Duration.ofSeconds(30), Duration.ofHours(1), false, Duration.ZERO);
		String clientKey = UUID.randomUUID().toString();
		IdempotencyKey key = new IdempotencyKey("tenant", "POST /payments", clientKey);
		((Claim.Run) engine.claim(new IdempotentOperation(key, "fp", "POST /payments", policy))).operation()
			.complete(new StoredResponse(201, Map.of(), new byte[0]));

		assertThatExceptionOfType(IdempotencyKeyReusedException.class)
			.isThrownBy(() -> engine.claim(new IdempotentOperation(key, "other", "POST /payments", policy)));

		assertThat(lines.list).hasSize(1);
		ILoggingEvent line = lines.list.get(0);
		Map<String, Object> pairs = line.getKeyValuePairs()
			.stream()
			.collect(Collectors.toMap((pair) -> pair.key, (pair) -> pair.value));
		assertThat(pairs).containsEntry("idempotency.event", "mismatch")
			.containsEntry("idempotency.endpoint", "POST /payments")
			.containsEntry("idempotency.key_digest", key.digest())
			.containsEntry("idempotency.client_key", IdempotencyKey.masked(clientKey));
		assertThat(line.getFormattedMessage()).doesNotContain(clientKey);
		assertThat(pairs.values()).noneMatch((value) -> String.valueOf(value).contains(clientKey));
	}

}
