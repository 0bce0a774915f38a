package dev.idempotency.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@code DataSource} and {@code RedisConnectionFactory} the store takes when the
 * application has several: the qualified one, else the primary one, else none (the
 * start-up fails). Databases are private H2 ones; Redis is the real one, under a key
 * prefix of this class.
 */
class StoreQualifierTests {

	private static final String TABLE = "idem_qualifier_" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
		.withPropertyValues("idempotency.jdbc.table-name=" + TABLE, "idempotency.redis.key-prefix=idem-qualifier:");

	private final ApplicationContextRunner jdbc = runner.withPropertyValues("idempotency.store.type=jdbc");

	private final ApplicationContextRunner redis = runner.withPropertyValues("idempotency.store.type=redis");

	@Test
	void usesTheQualifiedDataSourceAmongTwo() {
		jdbc.withUserConfiguration(QualifiedDataSource.class).run((context) -> {
			assertWorks(context.getBean(IdempotencyStore.class));
			assertThat(hasTable(context, "idempotencyDataSource")).isTrue();
			assertThat(hasTable(context, "applicationDataSource")).isFalse();
		});
	}

	@Test
	void usesThePrimaryDataSourceWhenNoneIsQualified() {
		jdbc.withUserConfiguration(PrimaryDataSource.class).run((context) -> {
			assertWorks(context.getBean(IdempotencyStore.class));
			assertThat(hasTable(context, "applicationDataSource")).isTrue();
			assertThat(hasTable(context, "otherDataSource")).isFalse();
		});
	}

	@Test
	void failsAtStartupWithTwoDataSourcesAndNeitherQualifiedNorPrimary() {
		jdbc.withUserConfiguration(TwoDataSources.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("several DataSource beans")
				.hasMessageContaining("@IdempotencyDataSource")
				.hasMessageContaining("@Primary"));
	}

	@Test
	void usesTheQualifiedRedisConnectionFactoryAmongTwoWithTheStoresTimeout() {
		redis.withUserConfiguration(QualifiedRedis.class).run((context) -> {
			assertWorks(context.getBean(IdempotencyStore.class));
			LettuceConnectionFactory own = context.getBean(RedisLayerConfiguration.CONNECTION_FACTORY,
					LettuceConnectionFactory.class);
			assertThat(own.getClientConfiguration().getClientName()).hasValue("idempotency-redis");
			assertThat(own.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(500));
		});
	}

	@Test
	void failsAtStartupWithTwoRedisConnectionFactoriesAndNeitherQualifiedNorPrimary() {
		redis.withUserConfiguration(TwoRedis.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("several RedisConnectionFactory beans")
				.hasMessageContaining("@IdempotencyRedisConnectionFactory")
				.hasMessageContaining("@Primary"));
	}

	private static boolean hasTable(AssertableApplicationContext context, String dataSource) {
		Integer tables = new JdbcTemplate(context.getBean(dataSource, DataSource.class)).queryForObject(
				"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = ?", Integer.class,
				TABLE.toUpperCase());
		return tables != null && tables > 0;
	}

	private static void assertWorks(IdempotencyStore store) {
		IdempotencyKey key = new IdempotencyKey("qualifier", "POST /x", UUID.randomUUID().toString());
		assertThat(store.claim(key, "fp", Duration.ofSeconds(5))).isInstanceOf(ClaimResult.Acquired.class);
		assertThat(store.claim(key, "fp", Duration.ofSeconds(5))).isInstanceOf(ClaimResult.InFlight.class);
	}

	private static DataSource h2() {
		return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
	}

	private static LettuceConnectionFactory lettuce(String clientName) {
		RedisStandaloneConfiguration server = RedisStoreConnections
			.forUrl(TestServers.redisUrl(), Duration.ofSeconds(2))
			.getStandaloneConfiguration();
		return new LettuceConnectionFactory(server,
				LettuceClientConfiguration.builder().clientName(clientName).build());
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource applicationDataSource() {
			return h2();
		}

		@Bean
		DataSource otherDataSource() {
			return h2();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedDataSource {

		@Bean
		DataSource applicationDataSource() {
			return h2();
		}

		@Bean
		@IdempotencyDataSource
		DataSource idempotencyDataSource() {
			return h2();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryDataSource {

		@Bean
		@Primary
		DataSource applicationDataSource() {
			return h2();
		}

		@Bean
		DataSource otherDataSource() {
			return h2();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoRedis {

		@Bean
		LettuceConnectionFactory applicationRedis() {
			return lettuce("application-redis");
		}

		@Bean
		LettuceConnectionFactory otherRedis() {
			return lettuce("other-redis");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedRedis {

		@Bean
		LettuceConnectionFactory applicationRedis() {
			return lettuce("application-redis");
		}

		@Bean
		@IdempotencyRedisConnectionFactory
		LettuceConnectionFactory idempotencyRedis() {
			return lettuce("idempotency-redis");
		}

	}

}
