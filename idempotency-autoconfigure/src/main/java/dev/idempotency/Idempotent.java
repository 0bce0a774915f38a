package dev.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Spring MVC handler safe to retry with the {@code Idempotency-Key} header: the
 * first request with a key runs the handler once and its response is stored; a retry with
 * the same key and the same request gets the stored response back, byte for byte, with
 * {@code Idempotent-Replayed: true}, and the handler is not called again.
 *
 * <p>
 * On a class, it applies to every handler method of the controller; on a method it
 * overrides the class. Attributes left at their defaults take the {@code idempotency.*}
 * properties.
 *
 * @see IdempotencyStore
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

	/**
	 * How long a completed response is kept and replayed, such as {@code "24h"} or
	 * {@code "PT48H"}. Empty to use {@code idempotency.retention}.
	 * @return the retention
	 */
	String retention() default "";

	/**
	 * How long a request holds its key while it runs; a request that crashed frees the
	 * key after this. Empty to use {@code idempotency.lock-timeout}.
	 * @return the lock timeout
	 */
	String lockTimeout() default "";

	/**
	 * Whether a request without the key header is rejected with {@code 400}. When
	 * {@code false}, such a request runs without idempotency.
	 * @return whether the key is required
	 */
	boolean keyRequired() default true;

	/**
	 * What a request does when another request with the same key is still running.
	 * @return the in-flight policy
	 */
	OnInFlight onInFlight() default OnInFlight.DEFAULT;

}
