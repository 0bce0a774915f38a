package dev.idempotency.operation;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

/**
 * Proxies {@code @Idempotent} methods of beans that are not controllers, like
 * {@code @Transactional} proxies transactional ones. Ordered before (outside) the
 * transaction advisor at its default order, so that a result is stored only after the
 * method's transaction committed, and a rollback frees the key.
 */
public final class IdempotentMethodAdvisor extends AbstractPointcutAdvisor {

	/**
	 * The default order: outside {@code @Transactional} (whose default order is
	 * {@link Ordered#LOWEST_PRECEDENCE}).
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private final transient Pointcut pointcut = new IdempotentMethodPointcut();

	private final transient IdempotentMethodInterceptor interceptor;

	/**
	 * Creates the advisor.
	 * @param template the template, resolved on first call
	 */
	public IdempotentMethodAdvisor(ObjectProvider<IdempotencyTemplate> template) {
		this.interceptor = new IdempotentMethodInterceptor(template);
		setOrder(DEFAULT_ORDER);
	}

	@Override
	public Pointcut getPointcut() {
		return pointcut;
	}

	@Override
	public Advice getAdvice() {
		return interceptor;
	}

}
