package dev.idempotency.web;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.http.HttpEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Checks every {@code @Idempotent} handler at start-up, so that a mistake fails the
 * application rather than a request: its durations parse, it is not mapped to safe
 * methods only, and it does not stream. A streamed response ({@code SseEmitter},
 * {@code StreamingResponseBody}, a multi-value reactive type) would be held back whole
 * until its end to be stored, silently turning a stream into one late body.
 */
public class IdempotentEndpointsVerifier implements SmartInitializingSingleton {

	private final ListableBeanFactory beans;

	private final EndpointPolicy.Resolver policies;

	private final boolean transactionsSupported;

	private volatile boolean someEndpointReadsKeysFromRequests;

	public IdempotentEndpointsVerifier(ListableBeanFactory beans, IdempotencySettings settings) {
		this(beans, settings, false);
	}

	/**
	 * Creates the verifier.
	 * @param beans where the handler mappings are
	 * @param settings the web layer's settings
	 * @param transactionsSupported whether the engine can run endpoints whose atomicity
	 * is {@code TRANSACTION}
	 */
	public IdempotentEndpointsVerifier(ListableBeanFactory beans, IdempotencySettings settings,
			boolean transactionsSupported) {
		this.beans = beans;
		this.policies = new EndpointPolicy.Resolver(settings);
		this.transactionsSupported = transactionsSupported;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (RequestMappingHandlerMapping mapping : beans.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
			mapping.getHandlerMethods().forEach(this::verify);
		}
	}

	/**
	 * Whether an idempotent endpoint reads its key or scope from the request (a webhook's
	 * body), known once the application has started.
	 * @return whether one does
	 */
	public boolean someEndpointReadsKeysFromRequests() {
		return someEndpointReadsKeysFromRequests;
	}

	private void verify(RequestMappingInfo info, HandlerMethod handler) {
		Optional<EndpointPolicy> policy = policies.forHandler(handler);
		if (policy.isEmpty() || !appliesToAny(policy.get(), info.getMethodsCondition().getMethods())) {
			return;
		}
		if (policy.get().readsRequest()) {
			someEndpointReadsKeysFromRequests = true;
		}
		if (streams(handler.getReturnType())) {
			throw new IllegalStateException("@Idempotent cannot protect " + handler.getShortLogMessage()
					+ ": it streams its response, which would be held back until it ends and replayed as one body. "
					+ "Return the whole response, or remove @Idempotent.");
		}
		if (policy.get().inTransaction()) {
			verifyTransactional(handler);
		}
	}

	/**
	 * A transaction is bound to the request's thread: an async handler would finish on
	 * another, and leave it open on a pooled one.
	 */
	private void verifyTransactional(HandlerMethod handler) {
		if (!transactionsSupported) {
			throw new IllegalStateException("@Idempotent on " + handler.getShortLogMessage()
					+ " runs in a transaction (atomicity TRANSACTION), which needs the JDBC store on PostgreSQL "
					+ "(idempotency.store.type jdbc or two-layer) and a single or primary transaction manager "
					+ "on its DataSource");
		}
		Class<?> type = handler.getReturnType().getParameterType();
		if (Callable.class.isAssignableFrom(type) || DeferredResult.class.isAssignableFrom(type)
				|| WebAsyncTask.class.isAssignableFrom(type)
				|| ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null
				|| Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)) {
			throw new IllegalStateException("@Idempotent on " + handler.getShortLogMessage()
					+ " runs in a transaction (atomicity TRANSACTION), which is bound to the request's thread: "
					+ "it cannot handle requests asynchronously. Return the result itself, or use SEPARATE.");
		}
	}

	private static boolean appliesToAny(EndpointPolicy policy, Set<RequestMethod> mapped) {
		if (mapped.isEmpty()) {
			return true;
		}
		boolean applies = mapped.stream().anyMatch((method) -> policy.appliesTo(method.name()));
		if (!applies && policy.methods() == null) {
			throw new IllegalStateException("@Idempotent on a handler mapped to " + mapped
					+ " only: safe methods are never idempotent endpoints");
		}
		return applies;
	}

	private static boolean streams(MethodParameter returnType) {
		Class<?> type = returnType.getParameterType();
		if (HttpEntity.class.isAssignableFrom(type)) {
			type = returnType.nested().getNestedParameterType();
		}
		if (ResponseBodyEmitter.class.isAssignableFrom(type) || StreamingResponseBody.class.isAssignableFrom(type)) {
			return true;
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
		return adapter != null && adapter.isMultiValue();
	}

}
