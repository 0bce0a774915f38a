package dev.idempotency.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@code RedisConnectionFactory} bean the idempotency store uses, when the
 * application has several. Without it the store uses the only or the {@code @Primary}
 * one; with several and neither, the start-up fails rather than picking one. A Lettuce
 * factory is not used as it is: the store opens its own connections to the same Redis
 * with its short {@code idempotency.redis.timeout}.
 *
 * <p>
 * In this package rather than beside the store API because only auto-configuration reads
 * it: code that builds a store itself hands it its connection factory directly.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface IdempotencyRedisConnectionFactory {

}
