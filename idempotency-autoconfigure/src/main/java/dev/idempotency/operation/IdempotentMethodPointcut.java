package dev.idempotency.operation;

import java.lang.reflect.Method;

import dev.idempotency.Idempotent;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;

/**
 * Matches methods annotated {@code @Idempotent} on beans that are not controllers:
 * controllers' handlers speak HTTP and go through the web adapter, which replays whole
 * responses, never through this proxy (that would claim every request twice).
 */
final class IdempotentMethodPointcut extends StaticMethodMatcherPointcut {

	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		if (AnnotatedElementUtils.hasAnnotation(targetClass, Controller.class)) {
			return false;
		}
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		return AnnotatedElementUtils.hasAnnotation(specific, Idempotent.class);
	}

}
