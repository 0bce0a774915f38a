package dev.idempotency.autoconfigure;

import dev.idempotency.actuate.IdempotencyRecordView;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	IdempotencyRuntimeHintsTests() {
		new IdempotencyRuntimeHints().registerHints(hints, getClass().getClassLoader());
	}

	@Test
	void keepsEveryLuaScriptAndSchemaFileThatShips() {
		for (String script : new String[] { "claim", "complete", "release", "renew", "evict", "put_completed",
				"evict_in_flight" }) {
			assertThat(RuntimeHintsPredicates.resource().forResource("dev/idempotency/redis/" + script + ".lua"))
				.accepts(hints);
		}
		for (String platform : new String[] { "postgresql", "h2", "mariadb", "mysql" }) {
			assertThat(
					RuntimeHintsPredicates.resource().forResource("dev/idempotency/jdbc/schema-" + platform + ".sql"))
				.accepts(hints);
		}
	}

	@Test
	void keepsWhatIsReadReflectively() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(IdempotencyRuntimeHints.TOKEN_AUTHENTICATION))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(IdempotencyRecordView.class)).accepts(hints);
	}

	@Test
	void keepsTheClassesWhosePresenceIsCheckedByName() {
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("io.lettuce.core.RedisClient")))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("org.slf4j.spi.LoggingEventBuilder")))
			.accepts(hints);
	}

	@Test
	void theShippedFilesAreThoseTheHintsName() {
		ClassLoader loader = getClass().getClassLoader();
		assertThat(loader.getResource("dev/idempotency/redis/claim.lua")).isNotNull();
		assertThat(loader.getResource("dev/idempotency/jdbc/schema-postgresql.sql")).isNotNull();
	}

}
