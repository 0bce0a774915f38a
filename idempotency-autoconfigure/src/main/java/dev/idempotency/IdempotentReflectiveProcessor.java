package dev.idempotency;

import java.lang.reflect.Method;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * What a native image must keep for an {@link Idempotent} method: the method itself (the
 * proxy invokes it reflectively, as for {@code @Transactional}), its result type (stored
 * and read back as JSON with Jackson) and, on any bean but a controller, its parameter
 * types (fingerprinted as JSON, read by the key's SpEL expression). Spring's AOT engine
 * applies it to every bean with such a method, so applications need no
 * {@code @RegisterReflectionForBinding} of their own for these types.
 */
class IdempotentReflectiveProcessor extends SimpleReflectiveProcessor {

	private static final String REQUEST_MAPPING = "org.springframework.web.bind.annotation.RequestMapping";

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		bindings.registerReflectionHints(hints, method.getGenericReturnType());
		if (!MergedAnnotations.from(method).isPresent(REQUEST_MAPPING)) {
			bindings.registerReflectionHints(hints, method.getGenericParameterTypes());
		}
	}

}
