package dev.idempotency.operation;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;

import dev.idempotency.Idempotent;
import dev.idempotency.engine.IdempotentOperation;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * What {@code @Idempotent} on one bean method means, parsed once: the name, the key,
 * scope and fingerprint expressions, the lock timeout and retention. Turns each call's
 * arguments into an operation.
 */
final class MethodPlan {

	private static final ExpressionParser parser = new SpelExpressionParser();

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/**
	 * Argument types that are the listener's plumbing, not its input: they differ between
	 * deliveries of one message, so they never count in the fingerprint.
	 */
	private static final List<String> PLUMBING = List.of("com.rabbitmq.client.", "jakarta.jms.Session",
			"org.springframework.kafka.support.Acknowledgment", "org.apache.kafka.clients.consumer.Consumer");

	private final Method method;

	private final Idempotent annotation;

	private final String name;

	private final Expression key;

	private final @Nullable Expression scope;

	private final List<Expression> fingerprint;

	private final @Nullable Duration lockTimeout;

	private final @Nullable Duration retention;

	private final boolean rabbitListener;

	MethodPlan(Method method, Class<?> targetClass, Idempotent annotation) {
		this.method = method;
		this.annotation = annotation;
		String where = "@Idempotent on " + targetClass.getName() + "." + method.getName();
		if (annotation.key().isBlank()) {
			throw new IllegalStateException(where + " needs a key expression, such as key = \"#event.id\"");
		}
		if (Future.class.isAssignableFrom(method.getReturnType())
				|| method.getReturnType().getName().startsWith("org.reactivestreams.")
				|| method.getReturnType().getName().startsWith("reactor.core.")) {
			throw new IllegalStateException(where + " returns " + method.getReturnType().getSimpleName()
					+ ": asynchronous results are not supported; return the value itself");
		}
		this.name = annotation.name().isBlank()
				? ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName() : annotation.name();
		this.key = parse(annotation.key(), where);
		this.scope = annotation.scope().isBlank() ? null : parse(annotation.scope(), where);
		this.fingerprint = Arrays.stream(annotation.fingerprint()).map((text) -> parse(text, where)).toList();
		this.lockTimeout = duration(annotation.lockTimeout(), where);
		this.retention = duration(annotation.retention(), where);
		this.rabbitListener = AmqpRejection.appliesTo(method, targetClass);
	}

	/** Whether refusals a redelivery cannot change must reject the message for good. */
	boolean isRabbitListener() {
		return rabbitListener;
	}

	String name() {
		return name;
	}

	Type resultType() {
		return method.getGenericReturnType();
	}

	/**
	 * Starts a call of the template for these arguments.
	 * @throws IdempotencyKeyMissingException when the key evaluates to nothing
	 */
	IdempotentOperation operation(IdempotencyTemplate template, Object target, @Nullable Object[] args) {
		EvaluationContext context = new MethodBasedEvaluationContext(target, method, args, parameterNames);
		context.setVariable("args", args);
		Object keyValue = key.getValue(context);
		if (keyValue == null || keyValue.toString().isEmpty()) {
			throw new IdempotencyKeyMissingException("The key of " + name + " (" + annotation.key()
					+ ") is empty for this call; it cannot be run idempotently");
		}
		Object scopeValue = (scope != null) ? scope.getValue(context) : null;
		return template.operation(name, keyValue.toString(), (scopeValue != null) ? scopeValue.toString() : null,
				input(context, args),
				template.policy(lockTimeout, retention, annotation.onInFlight(), annotation.atomicity()));
	}

	private List<@Nullable Object> input(EvaluationContext context, @Nullable Object[] args) {
		List<@Nullable Object> values = new ArrayList<>();
		if (!fingerprint.isEmpty()) {
			fingerprint.forEach((expression) -> values.add(expression.getValue(context)));
			return values;
		}
		for (@Nullable
		Object arg : args) {
			if (arg == null || !isPlumbing(arg.getClass())) {
				values.add(Envelopes.payload(arg));
			}
		}
		return values;
	}

	private static boolean isPlumbing(Class<?> type) {
		for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
			if (PLUMBING.stream().anyMatch(candidate.getName()::startsWith)) {
				return true;
			}
		}
		return PLUMBING.stream().anyMatch(type.getName()::startsWith);
	}

	private static Expression parse(String text, String where) {
		try {
			return parser.parseExpression(text);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(where + ": \"" + text + "\" is not a SpEL expression", ex);
		}
	}

	private static @Nullable Duration duration(String value, String where) {
		if (value.isBlank()) {
			return null;
		}
		Duration duration = DurationStyle.detectAndParse(value);
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalStateException(where + ": \"" + value + "\" is not a positive duration");
		}
		return duration;
	}

}
