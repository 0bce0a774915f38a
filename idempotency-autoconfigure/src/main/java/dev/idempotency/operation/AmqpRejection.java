package dev.idempotency.operation;

import java.lang.reflect.Method;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;

/**
 * Turns refusals that a redelivery cannot change (no key, a reused key) into Spring
 * AMQP's reject-without-requeue on {@code @RabbitListener} methods: left as they are, the
 * container would requeue the message and meet the same refusal forever. Loaded only when
 * Spring AMQP is on the class path.
 */
final class AmqpRejection {

	static final String REJECT_WITHOUT_REQUEUE = "org.springframework.amqp.AmqpRejectAndDontRequeueException";

	private static final boolean AMQP_PRESENT = ClassUtils.isPresent(REJECT_WITHOUT_REQUEUE,
			AmqpRejection.class.getClassLoader());

	private static final String RABBIT_LISTENER = "org.springframework.amqp.rabbit.annotation.RabbitListener";

	private AmqpRejection() {
	}

	static boolean appliesTo(Method method, Class<?> targetClass) {
		return AMQP_PRESENT && (MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(RABBIT_LISTENER)
				|| MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY).isPresent(RABBIT_LISTENER));
	}

	static RuntimeException rejectWithoutRequeue(RuntimeException refusal) {
		return new AmqpRejectAndDontRequeueException(refusal.getMessage(), refusal);
	}

}
