package dev.idempotency.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * The annotated store configuration applies when {@code idempotency.store.type} is unset
 * or names one of the given stores.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(StoreTypeCondition.class)
@interface ConditionalOnStoreType {

	StoreType[] value();

}
