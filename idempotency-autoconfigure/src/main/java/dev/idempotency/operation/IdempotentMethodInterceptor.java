package dev.idempotency.operation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.Idempotent;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Runs {@code @Idempotent} bean methods through the {@link IdempotencyTemplate}: the key,
 * scope and fingerprint come from the annotation's expressions over the arguments, a
 * duplicate gets the stored return value. The template is looked up on first use, so
 * proxying a bean does not create the store early.
 */
public final class IdempotentMethodInterceptor implements MethodInterceptor {

	private final ObjectProvider<IdempotencyTemplate> template;

	private final Map<MethodKey, MethodPlan> plans = new ConcurrentHashMap<>();

	/**
	 * Creates the interceptor.
	 * @param template the template, resolved on first call
	 */
	public IdempotentMethodInterceptor(ObjectProvider<IdempotencyTemplate> template) {
		this.template = template;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		if (target == null) {
			return invocation.proceed();
		}
		Class<?> targetClass = AopUtils.getTargetClass(target);
		MethodPlan plan = plans.computeIfAbsent(new MethodKey(targetClass, invocation.getMethod()),
				(key) -> plan(invocation.getMethod(), targetClass));
		IdempotencyTemplate template = this.template.getObject();
		try {
			return template.execute(plan.operation(template, target, invocation.getArguments()), plan.resultType(),
					invocation::proceed);
		}
		catch (IdempotencyKeyMissingException | IdempotencyKeyReusedException ex) {
			throw plan.isRabbitListener() ? AmqpRejection.rejectWithoutRequeue(ex) : ex;
		}
	}

	private static MethodPlan plan(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Idempotent annotation = AnnotatedElementUtils.findMergedAnnotation(specific, Idempotent.class);
		if (annotation == null) {
			throw new IllegalStateException("No @Idempotent on " + specific);
		}
		return new MethodPlan(specific, targetClass, annotation);
	}

	private record MethodKey(Class<?> targetClass, Method method) {
	}

}
