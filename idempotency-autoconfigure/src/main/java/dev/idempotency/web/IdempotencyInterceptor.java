package dev.idempotency.web;

import java.io.IOException;
import java.util.Optional;

import dev.idempotency.IdempotencyInFlightException;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyKeyReusedException;
import dev.idempotency.IdempotencyScopeResolver;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.OnInFlight;
import dev.idempotency.engine.Claim;
import dev.idempotency.engine.IdempotencyContext;
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.OperationPolicy;
import dev.idempotency.engine.Sha256;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.EvaluationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.WebUtils;

/**
 * The web adapter's first half around {@code @Idempotent} handlers: reads and validates
 * the key, scopes it and fingerprints the request, then lets the
 * {@link IdempotencyEngine} claim it; replays a completed response or answers a problem
 * right there. The second half, recording the outcome, happens in
 * {@link IdempotencyFilter} once the response is final.
 */
public class IdempotencyInterceptor implements AsyncHandlerInterceptor {

	private static final Log logger = LogFactory.getLog(IdempotencyInterceptor.class);

	private static final String BOUND = IdempotencyInterceptor.class.getName() + ".bound";

	private final IdempotencyEngine engine;

	private final IdempotencyScopeResolver scopeResolver;

	private final RequestFingerprinter fingerprinter;

	private final IdempotencySettings settings;

	private final EndpointPolicy.Resolver policies;

	private final ResponseRecorder recorder;

	private final @Nullable RequestKeyExpressions requestKeys;

	public IdempotencyInterceptor(IdempotencyEngine engine, IdempotencyScopeResolver scopeResolver,
			RequestFingerprinter fingerprinter, IdempotencySettings settings) {
		this(engine, scopeResolver, fingerprinter, settings, null);
	}

	/**
	 * Creates the interceptor.
	 * @param engine claims keys
	 * @param scopeResolver scopes keys by principal or tenant
	 * @param fingerprinter identifies requests
	 * @param settings the web layer's settings
	 * @param requestKeys reads keys from requests for endpoints that say so, or
	 * {@code null} without Jackson
	 */
	public IdempotencyInterceptor(IdempotencyEngine engine, IdempotencyScopeResolver scopeResolver,
			RequestFingerprinter fingerprinter, IdempotencySettings settings,
			@Nullable RequestKeyExpressions requestKeys) {
		this.requestKeys = requestKeys;
		this.engine = engine;
		this.scopeResolver = scopeResolver;
		this.fingerprinter = fingerprinter;
		this.settings = settings;
		this.policies = new EndpointPolicy.Resolver(settings);
		this.recorder = new ResponseRecorder(settings.replayedHeaders());
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (!(handler instanceof HandlerMethod method) || !isFirstIdempotentDispatch(request)) {
			return true;
		}
		Optional<EndpointPolicy> policy = policies.forHandler(method);
		if (policy.isEmpty() || !policy.get().appliesTo(request.getMethod())) {
			return true;
		}
		String endpoint = endpointName(request);
		try {
			return claim(request, response, policy.get(), endpoint);
		}
		catch (IdempotencyStoreException ex) {
			// One line per request: during an outage a stack trace each would cost more
			// than the request (and flood the log); the trace is there at debug.
			logger.warn("Idempotency store failed; answering 503 without running the handler: " + ex.getMessage());
			if (logger.isDebugEnabled()) {
				logger.debug("Idempotency store failure", ex);
			}
			return refused(IdempotencyProblem.storeUnavailable(), request, response);
		}
		catch (IdempotencyProblem problem) {
			return reject(problem, request, response, endpoint);
		}
	}

	/** The handler runs on this thread: the operation is unbound when it returns. */
	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		unbind(request);
	}

	/** An async handler goes on elsewhere: this thread serves other requests next. */
	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		unbind(request);
	}

	private static void unbind(HttpServletRequest request) {
		if (request.getAttribute(BOUND) instanceof IdempotencyContext.Scope bound) {
			request.removeAttribute(BOUND);
			bound.close();
		}
	}

	/**
	 * The request's own dispatch, or a forward to an idempotent handler from one that
	 * claimed nothing: a forward must not bypass the protocol, nor claim twice.
	 */
	private static boolean isFirstIdempotentDispatch(HttpServletRequest request) {
		DispatcherType type = request.getDispatcherType();
		return (type == DispatcherType.REQUEST || type == DispatcherType.FORWARD)
				&& request.getAttribute(IdempotentRequest.ATTRIBUTE) == null;
	}

	private boolean claim(HttpServletRequest request, HttpServletResponse response, EndpointPolicy policy,
			String endpoint) throws IOException {
		EvaluationContext fromRequest = policy.readsRequest() ? requestKeys().context(request, body(request)) : null;
		String clientKey = (policy.key() != null) ? RequestKeyExpressions.value(policy.key(), fromRequest)
				: IdempotencyKeyHeader.read(request, settings.headerName());
		if (clientKey == null) {
			if (policy.keyRequired()) {
				throw (policy.key() != null) ? IdempotencyProblem.missingRequestKey(policy.key().getExpressionString())
						: IdempotencyProblem.missingKey(settings.headerName());
			}
			return true;
		}
		IdempotencyKey key = new IdempotencyKey(scope(request, policy, fromRequest), keyEndpoint(request), clientKey);
		String fingerprint = fingerprinter.fingerprint(request, body(request));
		Claim claim;
		try {
			claim = engine.claim(new IdempotentOperation(key, fingerprint, endpoint, operationPolicy(policy)));
		}
		catch (IdempotencyInFlightException ex) {
			return refused(IdempotencyProblem.inFlight(ex.getRetryAfter()), request, response);
		}
		catch (IdempotencyKeyReusedException ex) {
			return refused(IdempotencyProblem.mismatch(settings.headerName()), request, response);
		}
		if (claim instanceof Claim.Run run) {
			capturing(response).startCapture(settings.maxResponseBodyBytes());
			request.setAttribute(IdempotentRequest.ATTRIBUTE,
					new IdempotentRequest(run.operation(), policy.storedStatuses()));
			request.setAttribute(BOUND, IdempotencyContext.bind(run.operation()));
			return true;
		}
		recorder.replay(((Claim.Replay) claim).response(), response);
		return false;
	}

	/**
	 * The principal's scope, narrowed by the endpoint's scope expression if it has one.
	 */
	private String scope(HttpServletRequest request, EndpointPolicy policy, @Nullable EvaluationContext fromRequest) {
		String scope = scopeResolver.resolveScope(request);
		String narrower = (policy.scope() != null && fromRequest != null)
				? RequestKeyExpressions.value(policy.scope(), fromRequest) : null;
		if (narrower == null) {
			return scope;
		}
		String narrowed = scope + " " + narrower.length() + ":" + narrower;
		return (narrowed.length() <= IdempotencyKey.MAX_SCOPE_LENGTH) ? narrowed : "sha256:" + Sha256.hex(narrowed);
	}

	private RequestKeyExpressions requestKeys() {
		if (requestKeys == null) {
			throw new IllegalStateException("@Idempotent(key/scope = ...) on an HTTP handler reads the JSON body "
					+ "with Jackson's JsonMapper, which is not on the class path");
		}
		return requestKeys;
	}

	private OperationPolicy operationPolicy(EndpointPolicy policy) {
		return new OperationPolicy(policy.lockTimeout(), policy.retention(), policy.onInFlight() == OnInFlight.WAIT,
				settings.maxWait(), policy.inTransaction());
	}

	/** A request refused before it reached the engine: a bad key, a body too large. */
	private boolean reject(IdempotencyProblem problem, HttpServletRequest request, HttpServletResponse response,
			String endpoint) throws IOException {
		engine.rejected(endpoint);
		return refused(problem, request, response);
	}

	/** Answers the problem; the engine has counted its own refusals (409, 422, 503). */
	private static boolean refused(IdempotencyProblem problem, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		problem.write(response, request.getRequestURI());
		return false;
	}

	private byte[] body(HttpServletRequest request) throws IOException {
		if (FormBody.isForm(request)) {
			return FormBody.of(request, settings.maxRequestBodyBytes());
		}
		return buffered(request).body(settings.maxRequestBodyBytes());
	}

	private static BufferedBodyRequest buffered(HttpServletRequest request) {
		BufferedBodyRequest buffered = WebUtils.getNativeRequest(request, BufferedBodyRequest.class);
		if (buffered == null) {
			throw new IllegalStateException(IdempotencyFilter.class.getSimpleName() + " must be registered");
		}
		return buffered;
	}

	private static CapturingResponse capturing(HttpServletResponse response) {
		CapturingResponse capturing = ResponseRecorder.unwrap(response);
		if (capturing == null) {
			throw new IllegalStateException(IdempotencyFilter.class.getSimpleName() + " must be registered");
		}
		return capturing;
	}

	/** The endpoint part of the key: the method and the routed path, never the query. */
	private static String keyEndpoint(HttpServletRequest request) {
		String path = RequestPaths.of(request);
		String endpoint = request.getMethod() + " " + path;
		return (endpoint.length() <= IdempotencyKey.MAX_ENDPOINT_LENGTH) ? endpoint
				: request.getMethod() + " sha256:" + Sha256.hex(path);
	}

	/**
	 * The endpoint as metrics name it: the mapping pattern, so cardinality stays bounded.
	 */
	private static String endpointName(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return request.getMethod() + " " + ((pattern != null) ? pattern : "UNKNOWN");
	}

}
