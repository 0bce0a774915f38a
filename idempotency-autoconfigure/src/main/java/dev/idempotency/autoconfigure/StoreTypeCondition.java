package dev.idempotency.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code idempotency.store.type} is unset or names the store of the
 * annotated configuration, like Spring Boot's cache type condition.
 */
class StoreTypeCondition extends SpringBootCondition {

	static final String PROPERTY = "idempotency.store.type";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnStoreType.class.getName());
		List<StoreType> accepted = List.of((StoreType[]) attributes.get("value"));
		StoreType chosen = chosen(context);
		if (chosen == null) {
			return ConditionOutcome.match(PROPERTY + " is unset");
		}
		return accepted.contains(chosen) ? ConditionOutcome.match(PROPERTY + " is " + name(chosen))
				: ConditionOutcome.noMatch(PROPERTY + " is " + name(chosen) + ", not one of " + accepted);
	}

	static StoreType chosen(ConditionContext context) {
		return Binder.get(context.getEnvironment()).bind(PROPERTY, StoreType.class).orElse(null);
	}

	static String name(StoreType type) {
		return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
