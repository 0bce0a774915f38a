package dev.idempotency.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyScopeResolver;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import dev.idempotency.metrics.MicrometerIdempotencyListener;
import dev.idempotency.store.InMemoryIdempotencyStore;
import dev.idempotency.web.IdempotencyInterceptor;
import dev.idempotency.web.RequestFingerprinter;
import dev.idempotency.web.Sha256RequestFingerprinter;
import dev.idempotency.web.StatusPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IdempotencyAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
				IdempotencyWebMvcAutoConfiguration.class, IdempotencyMetricsAutoConfiguration.class));

	private final ApplicationContextRunner plain = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
				IdempotencyWebMvcAutoConfiguration.class, IdempotencyMetricsAutoConfiguration.class));

	@Test
	void wiresTheInMemoryStoreAndTheWebLayerByDefault() {
		web.run((context) -> assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class)
			.hasSingleBean(IdempotencyInterceptor.class)
			.hasSingleBean(IdempotencyScopeResolver.class)
			.hasSingleBean(RequestFingerprinter.class)
			.hasBean("idempotencyFilter")
			.getBean(IdempotencyListener.class)
			.isSameAs(IdempotencyListener.NONE));
	}

	@Test
	void bindsPropertiesIntoTheWebLayer() {
		web.withPropertyValues("idempotency.header-name=X-Request-Key", "idempotency.retention=48h").run((context) -> {
			IdempotencyProperties properties = context.getBean(IdempotencyProperties.class);
			assertThat(properties.getRetention()).isEqualTo(Duration.ofHours(48));
			assertThat(IdempotencyWebMvcAutoConfiguration.settings(properties).headerName()).isEqualTo("X-Request-Key");
		});
	}

	@Test
	void readsTheStoredStatusesPolicyAndItsShorthand() {
		web.withPropertyValues("idempotency.response.stored-statuses=2xx,4xx,!409").run((context) -> {
			StatusPolicy policy = IdempotencyWebMvcAutoConfiguration
				.settings(context.getBean(IdempotencyProperties.class))
				.storedStatuses();
			assertThat(policy.stores(404)).isTrue();
			assertThat(policy.stores(409)).isFalse();
			assertThat(policy.stores(500)).isFalse();
		});
		web.withPropertyValues("idempotency.response.store-errors=true")
			.run((context) -> assertThat(
					IdempotencyWebMvcAutoConfiguration.settings(context.getBean(IdempotencyProperties.class))
						.storedStatuses()
						.stores(500))
				.isTrue());
	}

	@Test
	void refusesToStartWithAStoredStatusThatIsNotOne() {
		web.withPropertyValues("idempotency.response.stored-statuses=2xx,successes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'successes' is not a status"));
	}

	@Test
	void turnsEverythingOffWhenDisabled() {
		web.withPropertyValues("idempotency.enabled=false")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyStore.class)
				.doesNotHaveBean(IdempotencyInterceptor.class)
				.doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(IdempotencyListener.class));
	}

	@Test
	void comparesJsonNumbersByValueWhenAskedTo() {
		web.withPropertyValues("idempotency.fingerprint.normalize-numbers=true").run((context) -> {
			RequestFingerprinter fingerprinter = context.getBean(RequestFingerprinter.class);
			assertThat(fingerprint(fingerprinter, "{\"amount\":100}"))
				.isEqualTo(fingerprint(fingerprinter, "{\"amount\":1e2}"));
		});
	}

	@Test
	void keepsJsonNumbersAsSpelledByDefault() {
		web.run((context) -> {
			RequestFingerprinter fingerprinter = context.getBean(RequestFingerprinter.class);
			assertThat(fingerprint(fingerprinter, "{\"amount\":100}"))
				.isNotEqualTo(fingerprint(fingerprinter, "{\"amount\":1e2}"));
		});
	}

	@Test
	void backsOffWhenTheUserDefinesAStore() {
		web.withUserConfiguration(UserStoreConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(IdempotencyStore.class)
				.doesNotHaveBean(InMemoryIdempotencyStore.class)
				.hasSingleBean(IdempotencyInterceptor.class));
	}

	@Test
	void backsOffWhenTheUserDefinesAScopeResolverOrFingerprinter() {
		web.withBean(IdempotencyScopeResolver.class, () -> (request) -> "tenant-1")
			.withBean("customFingerprinter", RequestFingerprinter.class, () -> new Sha256RequestFingerprinter(false))
			.run((context) -> assertThat(context).hasSingleBean(IdempotencyScopeResolver.class)
				.hasSingleBean(RequestFingerprinter.class)
				.hasBean("customFingerprinter"));
	}

	@Test
	void leavesOutTheWebLayerOutsideAWebApplication() {
		plain.run((context) -> assertThat(context).hasSingleBean(IdempotencyStore.class)
			.doesNotHaveBean(IdempotencyInterceptor.class)
			.doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void leavesOutTheWebLayerWithoutSpringMvc() {
		web.withClassLoader(new FilteredClassLoader(org.springframework.web.servlet.DispatcherServlet.class))
			.run((context) -> assertThat(context).hasSingleBean(IdempotencyStore.class)
				.doesNotHaveBean(IdempotencyInterceptor.class));
	}

	@Test
	void countsWithMicrometerWhenARegistryExists() {
		web.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(MicrometerIdempotencyListener.class));
	}

	@Test
	void leavesOutMetricsWithoutMicrometer() {
		web.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MicrometerIdempotencyListener.class)
				.hasSingleBean(IdempotencyListener.class));
	}

	@Test
	void backsOffWhenTheUserDefinesAListener() {
		IdempotencyListener custom = new IdempotencyListener() {
		};
		web.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(IdempotencyListener.class, () -> custom)
			.run((context) -> assertThat(context.getBean(IdempotencyListener.class)).isSameAs(custom));
	}

	@Test
	void honoursAnExplicitInMemoryChoice() {
		web.withPropertyValues("idempotency.store.type=in-memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryIdempotencyStore.class));
	}

	@Test
	void refusesToReplayCookiesWhateverTheirCase() {
		for (String cookie : List.of("Set-Cookie", "set-cookie", "SET-COOKIE2")) {
			web.withPropertyValues("idempotency.response.replayed-headers=X-Request-Id," + cookie)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("idempotency.response.replayed-headers must not name " + cookie));
		}
	}

	@Test
	void refusesToReplayCookiesGivenAsAnIndexedList() {
		web.withPropertyValues("idempotency.response.replayed-headers[0]=ETag",
				"idempotency.response.replayed-headers[1]=Set-Cookie")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must not name Set-Cookie"));
	}

	@Test
	void replaysTheHeadersItIsGivenBesideTheDefaults() {
		web.withPropertyValues("idempotency.response.replayed-headers=X-Request-Id")
			.run((context) -> assertThat(
					IdempotencyWebMvcAutoConfiguration.settings(context.getBean(IdempotencyProperties.class))
						.replayedHeaders())
				.contains("X-Request-Id", "Location"));
	}

	@Test
	void boundsTheInMemoryStoreByItsProperty() {
		web.withPropertyValues("idempotency.in-memory.max-entries=1").run((context) -> {
			IdempotencyStore store = context.getBean(IdempotencyStore.class);
			store.claim(new IdempotencyKey("scope", "POST /x", "first"), "fp", Duration.ofSeconds(5));
			assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(
					() -> store.claim(new IdempotencyKey("scope", "POST /x", "second"), "fp", Duration.ofSeconds(5)));
		});
	}

	@Test
	void failsAtStartupWhenTheChosenStoreCannotBeHad() {
		web.withPropertyValues("idempotency.store.type=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("idempotency.store.type=redis cannot be satisfied"));
	}

	private static String fingerprint(RequestFingerprinter fingerprinter, String json) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/payments");
		request.setContentType("application/json");
		return fingerprinter.fingerprint(request, json.getBytes(StandardCharsets.UTF_8));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		IdempotencyStore userStore() {
			return new IdempotencyStore() {

				@Override
				public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
					return new ClaimResult.Mismatch();
				}

				@Override
				public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response,
						Duration retention) {
					return false;
				}

				@Override
				public boolean release(IdempotencyKey key, String lockToken) {
					return false;
				}

				@Override
				public Optional<IdempotencyRecord> find(IdempotencyKey key) {
					return Optional.empty();
				}

			};
		}

	}

}
