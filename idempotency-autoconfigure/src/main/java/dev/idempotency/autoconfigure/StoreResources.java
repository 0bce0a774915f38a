package dev.idempotency.autoconfigure;

import java.lang.annotation.Annotation;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Which of the application's beans of a kind (its {@code DataSource}s, its
 * {@code RedisConnectionFactory}s) the store uses: the one marked with the store's
 * qualifier, else the only or primary one. Several and none marked fails the start-up:
 * keeping idempotency keys in a database picked by chance would let retries run again
 * once it is picked differently.
 */
final class StoreResources {

	private StoreResources() {
	}

	static <T> T choose(ObjectProvider<T> qualified, ObjectProvider<T> candidates, Class<T> type,
			Class<? extends Annotation> qualifier) {
		T chosen = qualified.getIfAvailable(candidates::getIfUnique);
		if (chosen == null) {
			throw new IllegalStateException("The idempotency store cannot choose among several " + type.getSimpleName()
					+ " beans: annotate the one it should use with @" + qualifier.getSimpleName()
					+ ", or make one of them @Primary");
		}
		return chosen;
	}

}
