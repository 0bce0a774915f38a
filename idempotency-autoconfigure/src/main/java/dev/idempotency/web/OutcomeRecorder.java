package dev.idempotency.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.idempotency.IdempotencyListener.Completion;
import dev.idempotency.StoredResponse;
import dev.idempotency.engine.RunningOperation;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a finished idempotent request leaves in the store: its response, a record
 * that its response was too large to keep, or nothing (the key is released). Called by
 * {@link IdempotencyFilter} once the whole chain has returned: every inner filter has
 * written its body into the capture and the request's own resources (open-in-view's
 * connection) are back in their pools.
 */
final class OutcomeRecorder {

	private final ResponseRecorder responses;

	OutcomeRecorder(IdempotencySettings settings) {
		this.responses = new ResponseRecorder(settings.replayedHeaders());
	}

	/**
	 * Records the outcome of the request, if it acquired a key and has not been recorded.
	 * @param request the request
	 * @param response the capture its response was written into
	 * @param failure what the chain threw, if anything
	 */
	void record(HttpServletRequest request, CapturingResponse response, @Nullable Throwable failure)
			throws IOException {
		IdempotentRequest state = IdempotentRequest.of(request).orElse(null);
		if (state == null) {
			return;
		}
		request.removeAttribute(IdempotentRequest.ATTRIBUTE);
		RunningOperation operation = state.operation();
		if (failure != null || response.isErrorSent() || !state.storedStatuses().stores(response.getStatus())) {
			operation.release(failure != null);
			return;
		}
		byte[] body = response.capturedBody();
		Completion completion = (body != null) ? operation.complete(responses.record(response, body))
				: operation.completeWithoutBody(notStored(response.getStatus(), response, request.getRequestURI()));
		if (completion == Completion.ROLLED_BACK) {
			rolledBack(request, response);
		}
	}

	/**
	 * The handler's writes were rolled back with its key: the client must not get a
	 * response that says they happened. Held back until now, so it can still be replaced,
	 * unless it was too large to hold.
	 */
	private static void rolledBack(HttpServletRequest request, CapturingResponse response) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.reset();
		IdempotencyProblem.rolledBack().write(response, request.getRequestURI());
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

}
