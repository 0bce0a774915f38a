package dev.idempotency.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.Outcome;
import dev.idempotency.IdempotencyScopeResolver;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.OnInFlight;
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
 * Runs the first half of the Idempotency-Key protocol around {@code @Idempotent}
 * handlers: read and validate the key, scope it, fingerprint the request and claim it;
 * replay a completed response or reject right there. The second half, recording the
 * outcome, happens in {@link IdempotencyFilter} once the response is final.
 */
public class IdempotencyInterceptor implements HandlerInterceptor {

	private static final Log logger = LogFactory.getLog(IdempotencyInterceptor.class);

	private static final Duration FIRST_POLL = Duration.ofMillis(20);

	private static final Duration LONGEST_POLL = Duration.ofMillis(250);

	private final IdempotencyStore store;

	private final IdempotencyScopeResolver scopeResolver;

	private final RequestFingerprinter fingerprinter;

	private final IdempotencyListener listener;

	private final IdempotencySettings settings;

	private final EndpointPolicy.Resolver policies;

	private final ResponseRecorder recorder;

	public IdempotencyInterceptor(IdempotencyStore store, IdempotencyScopeResolver scopeResolver,
			RequestFingerprinter fingerprinter, IdempotencyListener listener, IdempotencySettings settings) {
		this.store = store;
		this.scopeResolver = scopeResolver;
		this.fingerprinter = fingerprinter;
		this.listener = listener;
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
			return reject(IdempotencyProblem.storeUnavailable(), request, response, endpoint);
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
		ClaimResult result = claimOrWait(key, fingerprint, policy);
		if (result instanceof ClaimResult.Acquired acquired) {
			capturing(response).startCapture(settings.maxResponseBodyBytes());
			request.setAttribute(IdempotentRequest.ATTRIBUTE,
					new IdempotentRequest(key, acquired.lockToken(), policy.retention(), endpoint));
			listener.onRequest(endpoint, Outcome.EXECUTED);
			return true;
		}
		if (result instanceof ClaimResult.Completed completed) {
			recorder.replay(completed.response(), response);
			listener.onRequest(endpoint, Outcome.REPLAYED);
			return false;
		}
		if (result instanceof ClaimResult.InFlight inFlight) {
			throw IdempotencyProblem.inFlight(inFlight.retryAfter());
		}
		throw IdempotencyProblem.mismatch(settings.headerName());
	}

	private ClaimResult claimOrWait(IdempotencyKey key, String fingerprint, EndpointPolicy policy) {
		ClaimResult result = store.claim(key, fingerprint, policy.lockTimeout());
		if (policy.onInFlight() != OnInFlight.WAIT) {
			return result;
		}
		long deadline = System.nanoTime() + settings.maxWait().toNanos();
		Duration pause = FIRST_POLL;
		while (result instanceof ClaimResult.InFlight && System.nanoTime() < deadline) {
			long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
			try {
				Thread.sleep(Math.min(pause.toMillis(), remaining));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return result;
			}
			pause = (pause.compareTo(LONGEST_POLL) < 0) ? pause.multipliedBy(2) : LONGEST_POLL;
			result = store.claim(key, fingerprint, policy.lockTimeout());
		}
		return result;
	}

	private boolean reject(IdempotencyProblem problem, HttpServletRequest request, HttpServletResponse response,
			String endpoint) throws IOException {
		listener.onRequest(endpoint, switch (problem.status()) {
			case 409 -> Outcome.CONFLICT;
			case 422 -> Outcome.MISMATCH;
			case 503 -> Outcome.UNAVAILABLE;
			default -> Outcome.REJECTED;
		});
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
