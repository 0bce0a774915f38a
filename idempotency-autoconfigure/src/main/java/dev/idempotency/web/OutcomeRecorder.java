package dev.idempotency.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a finished idempotent request leaves in the store: its response, a record
 * that its response was too large to keep, or nothing (the key is released). Called by
 * {@link IdempotencyFilter} once the whole chain has returned: every inner filter has
 * written its body into the capture and the request's own resources (open-in-view's
 * connection) are back in their pools.
 */
final class OutcomeRecorder {

	private static final Log logger = LogFactory.getLog(OutcomeRecorder.class);

	private final IdempotencyStore store;

	private final IdempotencyListener listener;

	private final IdempotencySettings settings;

	private final ResponseRecorder responses;

	OutcomeRecorder(IdempotencyStore store, IdempotencyListener listener, IdempotencySettings settings) {
		this.store = store;
		this.listener = listener;
		this.settings = settings;
		this.responses = new ResponseRecorder(settings.replayedHeaders());
	}

	/**
	 * Records the outcome of the request, if it acquired a key and has not been recorded.
	 * @param request the request
	 * @param response the capture its response was written into
	 * @param failure what the chain threw, if anything
	 */
	void record(HttpServletRequest request, CapturingResponse response, @Nullable Throwable failure) {
		IdempotentRequest state = IdempotentRequest.of(request).orElse(null);
		if (state == null) {
			return;
		}
		request.removeAttribute(IdempotentRequest.ATTRIBUTE);
		listener.onCompletion(state.endpoint(), complete(state, request, response, failure));
	}

	private Completion complete(IdempotentRequest state, HttpServletRequest request, CapturingResponse response,
			@Nullable Throwable failure) {
		int status = response.getStatus();
		try {
			if (failure != null || response.isErrorSent() || !isStorable(status)) {
				store.release(state.key(), state.lockToken());
				return (failure != null) ? Completion.RELEASED_ERROR : Completion.RELEASED_STATUS;
			}
			byte[] body = response.capturedBody();
			StoredResponse stored = (body != null) ? responses.record(response, body)
					: notStored(status, response, request.getRequestURI());
			if (!store.complete(state.key(), state.lockToken(), stored, state.retention())) {
				logger.warn("Lock of " + state.key() + " expired before its response was stored; "
						+ "consider a longer lock timeout for " + state.endpoint());
				return Completion.LOCK_LOST;
			}
			return (body != null) ? Completion.STORED : Completion.STORED_WITHOUT_BODY;
		}
		catch (IdempotencyStoreException ex) {
			// The handler ran; the client still gets its response. The key stays locked
			// until the lock timeout, so a retry is answered 409 until then.
			logger.error("Could not record the outcome of " + state.key(), ex);
			return Completion.STORE_FAILED;
		}
	}

	/**
	 * The record of a response too large to keep: the operation happened and must never
	 * run again, so retries get a problem that says so, with the headers that locate its
	 * result.
	 */
	private StoredResponse notStored(int status, CapturingResponse response, String instance) {
		IdempotencyProblem problem = IdempotencyProblem.responseNotStored(status);
		StoredResponse original = responses.record(response, new byte[0]);
		Map<String, List<String>> headers = new LinkedHashMap<>(original.headers());
		headers.keySet().removeIf((name) -> name.equalsIgnoreCase("Content-Type"));
		headers.put("Content-Type", List.of(IdempotencyProblem.CONTENT_TYPE));
		return new StoredResponse(problem.status(), headers, problem.body(instance));
	}

	private boolean isStorable(int status) {
		return (status >= 200 && status < 300) || (settings.storeErrors() && status >= 200);
	}

}
