package dev.idempotency.autoconfigure;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.actuate.IdempotencyEndpoint;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(IdempotencyAutoConfiguration.class, IdempotencyActuatorAutoConfiguration.class))
		.withPropertyValues("idempotency.store.type=in-memory");

	@Test
	void definesTheEndpointWhenItIsExposed() {
		runner.withPropertyValues("management.endpoints.web.exposure.include=idempotency")
			.run((context) -> assertThat(context).hasSingleBean(IdempotencyEndpoint.class));
	}

	@Test
	void definesNoEndpointUnlessItIsExposed() {
		runner.run((context) -> assertThat(context).hasSingleBean(IdempotencyStore.class)
			.doesNotHaveBean(IdempotencyEndpoint.class));
	}

	@Test
	void definesNoEndpointWhenItsAccessIsNone() {
		runner
			.withPropertyValues("management.endpoints.web.exposure.include=idempotency",
					"management.endpoint.idempotency.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyEndpoint.class));
	}

	@Test
	void backsOffWithoutActuator() {
		runner.withPropertyValues("management.endpoints.web.exposure.include=idempotency")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyEndpoint.class));
	}

	@Test
	void backsOffWhenIdempotencyIsDisabled() {
		runner.withPropertyValues("management.endpoints.web.exposure.include=idempotency", "idempotency.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyEndpoint.class));
	}

	@Test
	void backsOffWhenUserDefinesTheEndpoint() {
		runner.withPropertyValues("management.endpoints.web.exposure.include=idempotency")
			.withBean("myEndpoint", IdempotencyEndpoint.class,
					() -> new IdempotencyEndpoint(new InMemoryIdempotencyStore()))
			.run((context) -> assertThat(context).hasSingleBean(IdempotencyEndpoint.class).hasBean("myEndpoint"));
	}

}
