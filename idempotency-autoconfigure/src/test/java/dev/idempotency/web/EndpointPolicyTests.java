package dev.idempotency.web;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Set;

import dev.idempotency.Idempotent;
import dev.idempotency.OnInFlight;
import org.junit.jupiter.api.Test;

import org.springframework.web.method.HandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EndpointPolicyTests {

	private final EndpointPolicy.Resolver resolver = new EndpointPolicy.Resolver(new IdempotencySettings(
			"Idempotency-Key", Duration.ofHours(24), Duration.ofSeconds(30), OnInFlight.REJECT, Duration.ofSeconds(5),
			StatusPolicy.SUCCESSES, IdempotencySettings.DEFAULT_REPLAYED_HEADERS, 1024, 1024, Set.of("POST", "PATCH")));

	@Test
	void doesNotKeepPrototypeControllerInstancesAlive() throws Exception {
		Method create = PrototypeController.class.getDeclaredMethod("create");
		for (int i = 0; i < 300; i++) {
			assertThat(resolver.forHandler(new HandlerMethod(new PrototypeController(), create))).isPresent();
		}
		WeakReference<PrototypeController> last = new WeakReference<>(new PrototypeController());
		assertThat(resolver.forHandler(new HandlerMethod(last.get(), create))).isPresent();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return last.get() == null;
		});
	}

	@Test
	void classLevelAnnotationAppliesToTheConfiguredMethodsOnly() throws Exception {
		EndpointPolicy policy = policyOf(PrototypeController.class, "create");
		assertThat(policy.appliesTo("POST")).isTrue();
		assertThat(policy.appliesTo("PATCH")).isTrue();
		assertThat(policy.appliesTo("PUT")).isFalse();
		assertThat(policy.appliesTo("GET")).isFalse();
	}

	@Test
	void methodLevelAnnotationAppliesToEveryUnsafeMethodButNoSafeOne() throws Exception {
		EndpointPolicy policy = policyOf(MethodLevelController.class, "replace");
		assertThat(policy.appliesTo("PUT")).isTrue();
		assertThat(policy.appliesTo("DELETE")).isTrue();
		assertThat(policy.appliesTo("GET")).isFalse();
		assertThat(policy.appliesTo("HEAD")).isFalse();
		assertThat(policy.appliesTo("OPTIONS")).isFalse();
	}

	private EndpointPolicy policyOf(Class<?> type, String method) throws Exception {
		Object bean = type.getDeclaredConstructor().newInstance();
		return resolver.forHandler(new HandlerMethod(bean, type.getDeclaredMethod(method))).orElseThrow();
	}

	@Idempotent
	static class PrototypeController {

		String create() {
			return "created";
		}

	}

	static class MethodLevelController {

		@Idempotent
		String replace() {
			return "replaced";
		}

	}

}
