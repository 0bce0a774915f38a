package dev.idempotency.autoconfigure;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.store.InMemoryIdempotencyStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class StoreWarmUpTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class));

	@Test
	void readsFromTheStoreOnceAtStartUp() {
		CountingStore store = new CountingStore(0);
		runner.withBean(CountingStore.class, () -> store).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(store.finds).hasValue(1);
		});
	}

	@Test
	void triesAgainAndStartsAnywayWhenTheStoreFails() {
		CountingStore store = new CountingStore(5);
		runner.withBean(CountingStore.class, () -> store).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(store.finds).hasValue(3);
		});
	}

	static final class CountingStore extends InMemoryIdempotencyStore {

		final AtomicInteger finds = new AtomicInteger();

		private final int failures;

		CountingStore(int failures) {
			this.failures = failures;
		}

		@Override
		public Optional<IdempotencyRecord> find(IdempotencyKey key) {
			if (finds.incrementAndGet() <= failures) {
				throw new IdempotencyStoreException("down");
			}
			return super.find(key);
		}

	}

}
