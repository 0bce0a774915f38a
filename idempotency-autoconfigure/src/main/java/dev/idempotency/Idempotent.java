package dev.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Makes an operation safe to run again: the first call with a key runs it once and its
 * result is stored; a duplicate with the same key and the same input gets the stored
 * result back, and the operation is not run again.
 *
 * <p>
 * On a Spring MVC handler, the key comes from the {@code Idempotency-Key} header (or from
 * the request, with {@link #key()}: a webhook's event id), and a retry gets the stored
 * response back, byte for byte, with {@code Idempotent-Replayed: true}. On a class, it
 * applies to every handler method of the controller; on a method it overrides the class.
 *
 * <p>
 * On a method of any other Spring bean (a service, a {@code @RabbitListener}, a
 * {@code @KafkaListener}, a {@code @Scheduled} job), the key comes from {@link #key()},
 * evaluated over the method's arguments, and a duplicate call returns the stored return
 * value ({@code void} methods simply do not run). The bean is proxied like for
 * {@code @Transactional}, outside any transaction of the same method, so its result is
 * stored only once the transaction committed.
 *
 * <p>
 * Attributes left at their defaults take the {@code idempotency.*} properties.
 *
 * <p>
 * For a native image, Spring's AOT engine registers the method, its result type and (off
 * controllers) its parameter types for reflection and JSON binding.
 *
 * @see IdempotencyStore
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(IdempotentReflectiveProcessor.class)
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
	 * Where the key comes from, as a SpEL expression, such as {@code "#event.id"} or
	 * {@code "#message.messageProperties.messageId"}. On a bean method it is evaluated
	 * over the arguments (by name, or as {@code #p0}, {@code #a0}, {@code #args}) and is
	 * required. On an HTTP handler it replaces the {@code Idempotency-Key} header for
	 * senders that never send one (webhooks): it is evaluated over {@code #body}, the
	 * JSON request body, and {@code #headers}, the request headers by lower-case name;
	 * for instance {@code "#body.id"}.
	 * @return the key expression, or empty for the header
	 */
	String key() default "";

	/**
	 * A SpEL expression, over the same values as {@link #key()}, that the key is scoped
	 * by, such as a tenant: the same key in two scopes is two operations. On an HTTP
	 * handler it narrows the scope of the principal; empty for none.
	 * @return the scope expression
	 */
	String scope() default "";

	/**
	 * On a bean method, SpEL expressions over the arguments whose values identify the
	 * input: a duplicate with the same key and different values is refused as a reused
	 * key. Empty for every argument. HTTP handlers fingerprint the request itself.
	 * @return the fingerprint expressions
	 */
	String[] fingerprint() default {};

	/**
	 * On a bean method, the operation's name: it is part of the key and tags the metrics.
	 * Empty for {@code SimpleClassName.methodName}.
	 * @return the name
	 */
	String name() default "";

	/**
	 * On an HTTP handler, which final statuses are stored and replayed, as ranges and
	 * statuses, negated with {@code !}: {@code {"2xx", "4xx", "!409", "!429"}}. Any other
	 * status releases the key, so a retry runs again. Empty for
	 * {@code idempotency.response.stored-statuses}.
	 * @return the stored statuses
	 */
	String[] storedStatuses() default {};

	/**
	 * What a request does when another request with the same key is still running.
	 * @return the in-flight policy
	 */
	OnInFlight onInFlight() default OnInFlight.DEFAULT;

	/**
	 * Whether the claim, the operation's own database writes and its stored result commit
	 * as one transaction ({@link Atomicity#TRANSACTION}), or apart.
	 * @return the atomicity
	 */
	Atomicity atomicity() default Atomicity.DEFAULT;

}
