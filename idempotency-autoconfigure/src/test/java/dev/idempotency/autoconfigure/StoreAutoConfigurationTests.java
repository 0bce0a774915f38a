package dev.idempotency.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.jdbc.JdbcExpiredRecordsCleaner;
import dev.idempotency.jdbc.JdbcIdempotencySchemaInitializer;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.store.DegradableStore;
import dev.idempotency.store.InMemoryIdempotencyStore;
import dev.idempotency.store.NearCachedIdempotencyStore;
import dev.idempotency.store.TwoLayerIdempotencyStore;
import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which store auto-configuration picks from what the application has, against real Redis
 * and databases.
 */
class StoreAutoConfigurationTests {

	private static final String TABLE = "idem_auto_" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, DataSourceAutoConfiguration.class,
				IdempotencyAutoConfiguration.class))
		.withPropertyValues("idempotency.jdbc.table-name=" + TABLE);

	private final ApplicationContextRunner withRedisAndPostgres = runner.withPropertyValues(
			"spring.data.redis.url=" + TestServers.redisUrl(), "spring.datasource.url=" + postgres().jdbcUrl(),
			"spring.datasource.username=" + postgres().username(),
			"spring.datasource.password=" + postgres().password(), "idempotency.jdbc.initialize-schema=always");

	@Test
	void picksTheTwoLayerStoreWhenTheApplicationHasRedisAndADatabase() {
		withRedisAndPostgres.run((context) -> {
			assertThat(context).hasSingleBean(NearCachedIdempotencyStore.class)
				.hasSingleBean(JdbcIdempotencySchemaInitializer.class)
				.hasSingleBean(JdbcExpiredRecordsCleaner.class);
			assertThat(context.getBean(IdempotencyStore.class).toString())
				.startsWith("near-cache(10000 entries, PT10S):TwoLayerIdempotencyStore[redis:RedisIdempotencyStore")
				.contains("database:JdbcIdempotencyStore[" + TABLE + "]");
			assertWorks(context.getBean(IdempotencyStore.class));
		});
	}

	@Test
	void keepsRedisMarkersOfRunningRequestsNoLongerThanTheCacheLockTimeout() {
		String prefix = "test:auto-" + UUID.randomUUID() + ":";
		// Long enough not to expire while a busy machine runs the database claim.
		withRedisAndPostgres
			.withPropertyValues("idempotency.store.cache-lock-timeout=20s", "idempotency.redis.key-prefix=" + prefix,
					// the first call connects and loads the script: not the point here
					"idempotency.redis.timeout=5s")
			.run((context) -> {
				IdempotencyKey key = key();
				context.getBean(IdempotencyStore.class).claim(key, "fp", Duration.ofMinutes(1));
				try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
					assertThat(connection.keyCommands()
						.pTtl((prefix + "{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8)))
						.isBetween(1L, 20_000L);
				}
			});
	}

	@Test
	void keepsTheApplicationsRedisConnectionFactoryTheOnlyInjectableOne() {
		withRedisAndPostgres.run((context) -> {
			assertThat(context).hasBean(RedisLayerConfiguration.CONNECTION_FACTORY);
			assertThat(context.getBean(RedisConnectionFactory.class))
				.isNotSameAs(context.getBean(RedisLayerConfiguration.CONNECTION_FACTORY));
		});
	}

	@Test
	void picksTheJdbcStoreWhenAskedEvenWithRedis() {
		withRedisAndPostgres.withPropertyValues("idempotency.store.type=jdbc").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisLayerConfiguration.CONNECTION_FACTORY);
			assertThat(context.getBean(IdempotencyStore.class).toString())
				.startsWith("near-cache(10000 entries, PT10S):database:JdbcIdempotencyStore");
			assertWorks(context.getBean(IdempotencyStore.class));
		});
	}

	@Test
	void picksTheRedisStoreWhenAskedEvenWithADatabase() {
		withRedisAndPostgres.withPropertyValues("idempotency.store.type=redis").run((context) -> {
			assertThat(context).doesNotHaveBean(JdbcIdempotencySchemaInitializer.class);
			assertThat(context.getBean(IdempotencyStore.class).toString())
				.startsWith("near-cache(10000 entries, PT10S):redis:RedisIdempotencyStore");
			assertWorks(context.getBean(IdempotencyStore.class));
		});
	}

	@Test
	void picksTheRedisStoreWhenTheApplicationHasOnlyRedis() {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
			.withPropertyValues("spring.data.redis.url=" + TestServers.redisUrl())
			.run((context) -> assertThat(context.getBean(IdempotencyStore.class).toString())
				.contains("redis:RedisIdempotencyStore"));
	}

	@Test
	void picksTheJdbcStoreOnAnEmbeddedDatabaseAndCreatesItsTable() {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis")).run((context) -> {
			assertThat(context.getBean(IdempotencyStore.class).toString()).contains("database:JdbcIdempotencyStore");
			assertWorks(context.getBean(IdempotencyStore.class));
		});
	}

	@Test
	void leavesTheSchemaToMigrationsWhenToldNever() {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("idempotency.jdbc.initialize-schema=never", "idempotency.jdbc.table-name=never_created")
			.run((context) -> assertThatExceptionOfType(IdempotencyStoreException.class)
				.isThrownBy(() -> context.getBean(IdempotencyStore.class).claim(key(), "fp", Duration.ofSeconds(5))));
	}

	@Test
	void doesNotScheduleCleanupWhenDisabled() {
		withRedisAndPostgres.withPropertyValues("idempotency.jdbc.cleanup.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcExpiredRecordsCleaner.class));
	}

	@Test
	void failsAtStartupWhenTwoLayerIsChosenWithoutADatabase() {
		runner.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
			.withPropertyValues("spring.data.redis.url=" + TestServers.redisUrl(), "idempotency.store.type=two-layer")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("idempotency.store.type=two-layer cannot be satisfied"));
	}

	@Test
	void backsOffEntirelyWhenTheApplicationDefinesAStore() {
		withRedisAndPostgres.withUserConfiguration(OwnStore.class)
			.run((context) -> assertThat(context).hasSingleBean(IdempotencyStore.class)
				.hasSingleBean(InMemoryIdempotencyStore.class)
				.doesNotHaveBean(NearCachedIdempotencyStore.class)
				.doesNotHaveBean(RedisLayerConfiguration.CONNECTION_FACTORY)
				.doesNotHaveBean(JdbcIdempotencySchemaInitializer.class));
	}

	@Test
	void timesEachLayerAndCountsItsHitsAndMisses() {
		withRedisAndPostgres.withConfiguration(AutoConfigurations.of(IdempotencyMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertWorks(context.getBean(IdempotencyStore.class));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("idempotency.store.operations")
					.tags("layer", "database", "operation", "claim", "result", "acquired")
					.timer()
					.count()).isEqualTo(1);
				assertThat(registry.get("idempotency.store.claims")
					.tags("layer", "redis", "result", "miss")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("idempotency.store.claims")
					.tags("layer", "redis", "result", "in_flight")
					.counter()
					.count()).isEqualTo(1);
				assertThat(registry.get("idempotency.store.degraded").gauge().value()).isZero();
			});
	}

	@Test
	void servesReplaysFromTheNearCacheAndCountsItsHitsAndMisses() {
		withRedisAndPostgres.withConfiguration(AutoConfigurations.of(IdempotencyMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				IdempotencyStore store = context.getBean(IdempotencyStore.class);
				IdempotencyKey key = key();
				String token = ((ClaimResult.Acquired) store.claim(key, "fp", Duration.ofSeconds(5))).lockToken();
				assertThat(store.complete(key, token, new StoredResponse(201, Map.of(), new byte[] { 1 }),
						Duration.ofMinutes(1)))
					.isTrue();
				for (int retry = 0; retry < 3; retry++) {
					assertThat(store.claim(key, "fp", Duration.ofSeconds(5))).isInstanceOf(ClaimResult.Completed.class);
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("idempotency.store.claims")
					.tags("layer", "near_cache", "result", "hit")
					.counter()
					.count()).as("the second and third retries").isEqualTo(2);
				assertThat(registry.get("idempotency.store.claims")
					.tags("layer", "near_cache", "result", "miss")
					.counter()
					.count()).as("the first claim and the first retry").isEqualTo(2);
				assertThat(registry.get("idempotency.store.claims")
					.tags("layer", "redis")
					.counters()
					.stream()
					.mapToDouble(Counter::count)
					.sum()).as("only the first claim and the first retry reached Redis").isEqualTo(2);
				assertThat(registry.get("idempotency.store.degraded").gauge().value()).isZero();
			});
	}

	@Test
	void leavesTheNearCacheOutWhenDisabled() {
		withRedisAndPostgres.withPropertyValues("idempotency.store.near-cache.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(TwoLayerIdempotencyStore.class)
				.doesNotHaveBean(NearCachedIdempotencyStore.class);
			assertWorks(context.getBean(IdempotencyStore.class));
		});
	}

	@Test
	void appliesTheNearCacheBounds() {
		withRedisAndPostgres
			.withPropertyValues("idempotency.store.type=redis", "idempotency.store.near-cache.max-entries=7",
					"idempotency.store.near-cache.time-to-live=3s")
			.run((context) -> assertThat(context.getBean(IdempotencyStore.class).toString())
				.startsWith("near-cache(7 entries, PT3S):redis:"));
	}

	@Test
	void documentsTheNearCacheStoresOwnDefaults() {
		IdempotencyProperties.Store.NearCache defaults = new IdempotencyProperties().getStore().getNearCache();
		assertThat(defaults.getMaxEntries()).isEqualTo(NearCachedIdempotencyStore.DEFAULT_MAX_ENTRIES);
		assertThat(defaults.getMaxTotalSize().toBytes()).isEqualTo(NearCachedIdempotencyStore.DEFAULT_MAX_TOTAL_SIZE);
		assertThat(defaults.getMaxResponseSize().toBytes())
			.isEqualTo(NearCachedIdempotencyStore.DEFAULT_MAX_RESPONSE_SIZE);
		assertThat(defaults.getTimeToLive()).isEqualTo(NearCachedIdempotencyStore.DEFAULT_TIME_TO_LIVE);
	}

	@Test
	void leavesTheInMemoryStoreWithoutANearCache() {
		runner.withPropertyValues("idempotency.store.type=in-memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class)
				.doesNotHaveBean(NearCachedIdempotencyStore.class));
	}

	@Test
	void buildsEachLayerOnceAndKeepsItOutOfInjectionByType() {
		withRedisAndPostgres.withBean(InjectedStores.class).run((context) -> {
			assertThat(context).hasBean(RedisLayerConfiguration.LAYER).hasBean(JdbcLayerConfiguration.LAYER);
			assertThat(context.getBean(InjectedStores.class).stores())
				.containsExactly(context.getBean(IdempotencyStore.class));
			assertThat(context.getBean(JdbcExpiredRecordsCleaner.class)).extracting("store")
				.isSameAs(context.getBean(JdbcLayerConfiguration.LAYER));
		});
	}

	@Test
	void customizesEachLayerOfTheCustomizersTypeBeforeWrappingIt() {
		String prefix = "test:customized-" + UUID.randomUUID() + ":";
		List<Object> redisLayers = new ArrayList<>();
		List<Object> all = new ArrayList<>();
		withRedisAndPostgres.withBean("redisCustomizer", IdempotencyStoreCustomizer.class,
				() -> (IdempotencyStoreCustomizer<RedisIdempotencyStore>) (redis) -> {
					redisLayers.add(redis);
					redis.setKeyPrefix(prefix);
				})
			.withBean("anyCustomizer", IdempotencyStoreCustomizer.class,
					() -> (IdempotencyStoreCustomizer<IdempotencyStore>) all::add)
			.withPropertyValues("idempotency.redis.timeout=5s")
			.run((context) -> {
				assertThat(redisLayers).containsExactly(context.getBean(RedisLayerConfiguration.LAYER));
				assertThat(all).hasSize(3)
					.contains(context.getBean(RedisLayerConfiguration.LAYER),
							context.getBean(JdbcLayerConfiguration.LAYER))
					.hasAtLeastOneElementOfType(TwoLayerIdempotencyStore.class);
				IdempotencyKey key = key();
				context.getBean(IdempotencyStore.class).claim(key, "fp", Duration.ofMinutes(1));
				try (RedisConnection connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
					assertThat(connection.keyCommands()
						.exists((prefix + "{" + key.digest() + "}").getBytes(StandardCharsets.UTF_8)))
						.as("the customizer's key prefix wins over the property")
						.isTrue();
				}
			});
	}

	@Test
	void customizesTheInMemoryStore() {
		runner.withPropertyValues("idempotency.store.type=in-memory")
			.withBean(IdempotencyStoreCustomizer.class,
					() -> (IdempotencyStoreCustomizer<InMemoryIdempotencyStore>) (store) -> store.setMaxEntries(1))
			.run((context) -> {
				IdempotencyStore store = context.getBean(IdempotencyStore.class);
				store.claim(key(), "fp", Duration.ofSeconds(5));
				assertThatExceptionOfType(IdempotencyStoreException.class)
					.isThrownBy(() -> store.claim(key(), "fp", Duration.ofSeconds(5)));
			});
	}

	@Test
	void reportsAnyDegradableStoreInTheDegradedGauge() {
		runner.withConfiguration(AutoConfigurations.of(IdempotencyMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(DegradedStore.class)
			.run((context) -> assertThat(
					context.getBean(MeterRegistry.class).get("idempotency.store.degraded").gauge().value())
				.isOne());
	}

	private static void assertWorks(IdempotencyStore store) {
		IdempotencyKey key = key();
		assertThat(store.claim(key, "fp", Duration.ofSeconds(5))).isInstanceOf(ClaimResult.Acquired.class);
		assertThat(store.claim(key, "fp", Duration.ofSeconds(5))).isInstanceOf(ClaimResult.InFlight.class);
	}

	private static IdempotencyKey key() {
		return new IdempotencyKey("auto", "POST /x", UUID.randomUUID().toString());
	}

	private static JdbcServer postgres() {
		return TestServers.postgres();
	}

	record InjectedStores(List<IdempotencyStore> stores) {
	}

	@Configuration(proxyBeanMethods = false)
	static class DegradedStore {

		@Bean
		IdempotencyStore degradedStore() {
			return new Degraded();
		}

		static class Degraded extends InMemoryIdempotencyStore implements DegradableStore {

			@Override
			public boolean isDegraded() {
				return true;
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStore {

		@Bean
		InMemoryIdempotencyStore ownStore() {
			return new InMemoryIdempotencyStore();
		}

	}

}
