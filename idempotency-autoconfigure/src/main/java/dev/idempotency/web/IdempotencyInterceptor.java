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
import dev.idempotency.engine.IdempotencyEngine;
import dev.idempotency.engine.IdempotentOperation;
import dev.idempotency.engine.OperationPolicy;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.WebUtils;

/**
 * The web adapter's first half around {@code @Idempotent} handlers: reads and validates
 * the key, scopes it and fingerprints the request, then lets the
 * {@link IdempotencyEngine} claim it; replays a completed response or answers a problem
 * right there. The second half, recording the outcome, happens in
 * {@link IdempotencyFilter} once the response is final.
 */
public class IdempotencyInterceptor implements HandlerInterceptor {

	private static final Log logger = LogFactory.getLog(IdempotencyInterceptor.class);

	private final IdempotencyEngine engine;

	private final IdempotencyScopeResolver scopeResolver;

	private final RequestFingerprinter fingerprinter;

	private final IdempotencySettings settings;

	private final EndpointPolicy.Resolver policies;

	private final ResponseRecorder recorder;

	public IdempotencyInterceptor(IdempotencyEngine engine, IdempotencyScopeResolver scopeResolver,
			RequestFingerprinter fingerprinter, IdempotencySettings settings) {
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
		String clientKey = IdempotencyKeyHeader.read(request, settings.headerName());
		if (clientKey == null) {
			if (policy.keyRequired()) {
				throw IdempotencyProblem.missingKey(settings.headerName());
			}
			return true;
		}
		IdempotencyKey key = new IdempotencyKey(scopeResolver.resolveScope(request), keyEndpoint(request), clientKey);
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
			request.setAttribute(IdempotentRequest.ATTRIBUTE, new IdempotentRequest(run.operation()));
			return true;
		}
		recorder.replay(((Claim.Replay) claim).response(), response);
		return false;
	}

	private OperationPolicy operationPolicy(EndpointPolicy policy) {
		return new OperationPolicy(policy.lockTimeout(), policy.retention(), policy.onInFlight() == OnInFlight.WAIT,
				settings.maxWait());
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
