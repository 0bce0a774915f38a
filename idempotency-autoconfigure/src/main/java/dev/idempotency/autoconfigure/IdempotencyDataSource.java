package dev.idempotency.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@link javax.sql.DataSource} bean the idempotency store uses, when the
 * application has several, as Spring Session's {@code @SpringSessionDataSource} does.
 * Without it the store uses the only or the {@code @Primary} {@code DataSource}; with
 * several and neither, the start-up fails rather than picking one.
 *
 * <p>
 * In this package rather than beside the store API because only auto-configuration reads
 * it: code that builds a store itself hands it its {@code DataSource} directly.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface IdempotencyDataSource {

}
