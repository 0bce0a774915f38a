package dev.idempotency.web;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP protocol of the design's table, row by row, against the in-memory store.
 */
@SpringBootTest(classes = ProtocolTestApplication.class,
		properties = { "idempotency.store.type=in-memory", "idempotency.response.max-body-size=1KB",
				"idempotency.request.max-body-size=8KB", "idempotency.in-flight.max-wait=5s" })
@AutoConfigureMockMvc
class IdempotencyProtocolTests {

	private static final String PROBLEMS = "https://idempotency.dev/problems/";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private IdempotencyStore store;

	@Autowired
	private RequestFingerprinter fingerprinter;

	@Autowired
	private MeterRegistry meters;

	@BeforeEach
	void resetCalls() {
		ProtocolTestApplication.calls.set(0);
		ProtocolTestApplication.gate = new CountDownLatch(0);
	}

	private static String newKey() {
		return UUID.randomUUID().toString();
	}

	private static MockHttpServletRequestBuilder payment(String key, String json) {
		return post("/payments").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(json);
	}

	@Test
	void firstRequestRunsTheHandlerAndARetryReplaysItByteForByte() throws Exception {
		String key = newKey();
		MvcResult first = mvc.perform(payment(key, "{\"amount\":100}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/payments/1"))
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andReturn();

		MvcResult retry = mvc.perform(payment(key, "{\"amount\":100}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", "/payments/1"))
			.andExpect(header().string("ETag", "\"v1\""))
			.andExpect(header().string("Content-Type", "application/json"))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(header().doesNotExist("Set-Cookie"))
			.andExpect(header().doesNotExist("X-RateLimit-Remaining"))
			.andReturn();

		assertThat(retry.getResponse().getContentAsByteArray()).isEqualTo(first.getResponse().getContentAsByteArray());
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void aRetryWithAnotherSpellingOfThePathIsStillAReplay() throws Exception {
		String key = newKey();
		mvc.perform(payment(key, "{\"amount\":100}")).andExpect(status().isCreated());
		mvc.perform(post(java.net.URI.create("/pay%6Dents")).header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"amount\":100}")).andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void structuredFieldAndBareFormsAreTheSameKey() throws Exception {
		String key = newKey();
		mvc.perform(payment(key, "{}")).andExpect(status().isCreated());
		mvc.perform(payment("\"" + key + "\"", "{}")).andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void missingKeyIsRejectedWithProblemDetails() throws Exception {
		mvc.perform(post("/payments").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "missing-key"))
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.instance").value("/payments"));
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "\"\"", "caf\u00e9", "tab\there", "\"unterminated\\\"" })
	void malformedKeysAreRejected(String key) throws Exception {
		mvc.perform(payment(key, "{}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-key"));
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	@Test
	void keysLongerThan255CharactersAreRejectedAnd255AreAccepted() throws Exception {
		mvc.perform(payment("k".repeat(256), "{}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-key"));
		mvc.perform(payment("k".repeat(254) + ProtocolTestApplication.calls.get(), "{}"))
			.andExpect(status().isCreated());
	}

	@Test
	void repeatedKeyHeaderIsRejected() throws Exception {
		mvc.perform(payment("a", "{}").header("Idempotency-Key", "b"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-key"));
	}

	@Test
	void sameKeyWhileTheFirstRunsIsAConflictWithRetryAfter() throws Exception {
		ProtocolTestApplication.gate = new CountDownLatch(1);
		String key = newKey();
		CompletableFuture<ResultActions> first = CompletableFuture
			.supplyAsync(() -> perform(post("/slow").header("Idempotency-Key", key)));
		await().atMost(Duration.ofSeconds(5)).until(() -> store.find(scoped("POST /slow", key)).isPresent());

		mvc.perform(post("/slow").header("Idempotency-Key", key))
			.andExpect(status().isConflict())
			.andExpect(header().exists("Retry-After"))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "request-in-progress"));

		ProtocolTestApplication.gate.countDown();
		first.get(5, TimeUnit.SECONDS).andExpect(status().isOk()).andExpect(content().string("slow 1"));
		mvc.perform(post("/slow").header("Idempotency-Key", key))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string("slow 1"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void waitPolicyWaitsForTheFirstAndReplaysIt() throws Exception {
		ProtocolTestApplication.gate = new CountDownLatch(1);
		String key = newKey();
		CompletableFuture<ResultActions> first = CompletableFuture
			.supplyAsync(() -> perform(post("/slow-wait").header("Idempotency-Key", key)));
		await().atMost(Duration.ofSeconds(5)).until(() -> store.find(scoped("POST /slow-wait", key)).isPresent());
		CompletableFuture<ResultActions> second = CompletableFuture
			.supplyAsync(() -> perform(post("/slow-wait").header("Idempotency-Key", key)));
		Thread.sleep(200);
		assertThat(second).isNotDone();

		ProtocolTestApplication.gate.countDown();
		first.get(5, TimeUnit.SECONDS).andExpect(content().string("waited 1"));
		second.get(5, TimeUnit.SECONDS)
			.andExpect(status().isOk())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string("waited 1"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void sameKeyWithADifferentBodyIsUnprocessable() throws Exception {
		String key = newKey();
		mvc.perform(payment(key, "{\"amount\":100}")).andExpect(status().isCreated());
		mvc.perform(payment(key, "{\"amount\":999}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "key-reused"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void reorderedAndReformattedJsonIsTheSameRequest() throws Exception {
		String key = newKey();
		mvc.perform(payment(key, "{\"amount\":100,\"currency\":\"USD\"}")).andExpect(status().isCreated());
		mvc.perform(payment(key, "{ \"currency\" : \"USD\",\n  \"amount\" : 100 }"))
			.andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void anotherSpellingOfANumberIsADifferentRequest() throws Exception {
		String key = newKey();
		mvc.perform(payment(key, "{\"amount\":100,\"currency\":\"USD\"}")).andExpect(status().isCreated());
		mvc.perform(payment(key, "{\"amount\":100.0,\"currency\":\"USD\"}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "key-reused"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void clientErrorReleasesTheKeySoACorrectedRequestRuns() throws Exception {
		String key = newKey();
		mvc.perform(post("/validated").header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"amount\":-5}")).andExpect(status().isBadRequest());
		mvc.perform(post("/validated").header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"amount\":5}"))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
		mvc.perform(post("/validated").header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"amount\":5}")).andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(ProtocolTestApplication.calls).hasValue(2);
	}

	@Test
	void handlerThatThrowsReleasesTheKey() throws Exception {
		String key = newKey();
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				mvc.perform(post("/throws").header("Idempotency-Key", key));
			}
			catch (Exception ex) {
				assertThat(ex).hasRootCauseMessage("boom");
			}
		}
		assertThat(ProtocolTestApplication.calls).hasValue(2);
		assertThat(store.find(scoped("POST /throws", key))).isEmpty();
	}

	@Test
	void differentPrincipalsWithTheSameKeyAreIndependent() throws Exception {
		String key = newKey();
		mvc.perform(payment(key, "{}").with(httpBasic("alice", "pw")))
			.andExpect(header().string("Location", "/payments/1"));
		mvc.perform(payment(key, "{}").with(httpBasic("bob", "pw")))
			.andExpect(header().string("Location", "/payments/2"))
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
		mvc.perform(payment(key, "{}")).andExpect(header().string("Location", "/payments/3"));
		mvc.perform(payment(key, "{}").with(httpBasic("alice", "pw")))
			.andExpect(header().string("Location", "/payments/1"))
			.andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(ProtocolTestApplication.calls).hasValue(3);
	}

	@Test
	void sameKeyOnAnotherEndpointIsIndependent() throws Exception {
		String key = newKey();
		mvc.perform(post("/orders/1/refunds").header("Idempotency-Key", key)).andExpect(content().string("refund 1"));
		mvc.perform(post("/orders/2/refunds").header("Idempotency-Key", key)).andExpect(content().string("refund 2"));
		mvc.perform(payment(key, "{}")).andExpect(header().doesNotExist("Idempotent-Replayed"));
		assertThat(ProtocolTestApplication.calls).hasValue(3);
	}

	@Test
	void responseAboveTheStorableSizeIsSentButNeverRunsAgain() throws Exception {
		String key = newKey();
		double before = completions("stored_without_body");
		MvcResult first = mvc.perform(post("/large").header("Idempotency-Key", key))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(first.getResponse().getContentAsString()).hasSize(2049);
		mvc.perform(post("/large").header("Idempotency-Key", key))
			.andExpect(status().isConflict())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(header().doesNotExist("Retry-After"))
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value(PROBLEMS + "response-not-stored"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("status 200")));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
		assertThat(completions("stored_without_body")).isEqualTo(before + 1);
	}

	@Test
	void requestBodyAboveTheLimitIsRejectedWith413() throws Exception {
		mvc.perform(payment(newKey(), "{\"pad\":\"" + "x".repeat(9000) + "\"}"))
			.andExpect(status().isPayloadTooLarge())
			.andExpect(jsonPath("$.type").value(PROBLEMS + "request-too-large"));
		assertThat(ProtocolTestApplication.calls).hasValue(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/future", "/deferred", "/callable" })
	void asyncResultsAreStoredWhenWrittenAndReplayed(String path) throws Exception {
		String key = newKey();
		MvcResult started = mvc.perform(post(path).header("Idempotency-Key", key))
			.andExpect(request().asyncStarted())
			.andReturn();
		MvcResult first = mvc.perform(asyncDispatch(started)).andReturn();
		assertThat(first.getResponse().getContentAsString()).endsWith(" 1");

		MvcResult retry = mvc.perform(post(path).header("Idempotency-Key", key))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andReturn();
		assertThat(retry.getResponse().getStatus()).isEqualTo(first.getResponse().getStatus());
		assertThat(retry.getResponse().getContentAsString()).isEqualTo(first.getResponse().getContentAsString());
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void binaryBodiesAreReplayedByteForByte() throws Exception {
		String key = newKey();
		byte[] first = mvc.perform(post("/binary").header("Idempotency-Key", key))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		mvc.perform(post("/binary").header("Idempotency-Key", key))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().contentType(MediaType.APPLICATION_OCTET_STREAM))
			.andExpect(content().bytes(first));
	}

	@Test
	void endpointsWithoutTheAnnotationAreUntouched() throws Exception {
		String key = newKey();
		mvc.perform(post("/plain").header("Idempotency-Key", key)).andExpect(content().string("plain 1"));
		mvc.perform(post("/plain").header("Idempotency-Key", key))
			.andExpect(content().string("plain 2"))
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
	}

	@Test
	void optionalKeyRunsWithoutIdempotencyWhenAbsent() throws Exception {
		mvc.perform(post("/optional")).andExpect(content().string("optional 1"));
		mvc.perform(post("/optional")).andExpect(content().string("optional 2"));
		String key = newKey();
		mvc.perform(post("/optional").header("Idempotency-Key", key)).andExpect(content().string("optional 3"));
		mvc.perform(post("/optional").header("Idempotency-Key", key)).andExpect(content().string("optional 3"));
	}

	@Test
	void annotationOnTheClassAppliesToItsHandlers() throws Exception {
		String key = newKey();
		mvc.perform(post("/class-level").header("Idempotency-Key", key)).andExpect(content().string("class 1"));
		mvc.perform(post("/class-level").header("Idempotency-Key", key))
			.andExpect(content().string("class 1"))
			.andExpect(header().string("Idempotent-Replayed", "true"));
		mvc.perform(post("/class-level")).andExpect(status().isBadRequest());
	}

	@Test
	void handlersCanReadTheScopedKey() throws Exception {
		mvc.perform(post("/whoami").header("Idempotency-Key", "abc").with(httpBasic("alice", "pw")))
			.andExpect(content().string(PrincipalScopeResolver.scope(() -> "alice") + "|POST /whoami|abc|abc"));
	}

	@Test
	void completedResponseExpiresAfterItsRetention() throws Exception {
		String key = newKey();
		mvc.perform(post("/short-lived").header("Idempotency-Key", key)).andExpect(content().string("short 1"));
		mvc.perform(post("/short-lived").header("Idempotency-Key", key)).andExpect(content().string("short 1"));
		Thread.sleep(400);
		mvc.perform(post("/short-lived").header("Idempotency-Key", key))
			.andExpect(content().string("short 2"))
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
	}

	@Test
	void crashedRequestHoldsItsKeyUntilTheLockTimeoutThenARetryRuns() throws Exception {
		String key = newKey();
		MockHttpServletRequest crashed = payment(key, "{\"amount\":1}")
			.buildRequest(new org.springframework.mock.web.MockServletContext());
		String fingerprint = fingerprinter.fingerprint(crashed, "{\"amount\":1}".getBytes());
		ClaimResult claim = store.claim(scoped("POST /payments", key), fingerprint, Duration.ofMillis(400));
		assertThat(claim).isInstanceOf(ClaimResult.Acquired.class);

		mvc.perform(payment(key, "{\"amount\":1}")).andExpect(status().isConflict());
		Thread.sleep(500);
		mvc.perform(payment(key, "{\"amount\":1}"))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
		assertThat(ProtocolTestApplication.calls).hasValue(1);
	}

	@Test
	void metricsCountHitsMissesAndRejections() throws Exception {
		double misses = requests("miss");
		double hits = requests("hit");
		double mismatches = requests("mismatch");
		double rejected = requests("rejected");
		String key = newKey();
		mvc.perform(payment(key, "{}"));
		mvc.perform(payment(key, "{}"));
		mvc.perform(payment(key, "{\"other\":1}"));
		mvc.perform(payment("", "{}"));
		assertThat(requests("miss")).isEqualTo(misses + 1);
		assertThat(requests("hit")).isEqualTo(hits + 1);
		assertThat(requests("mismatch")).isEqualTo(mismatches + 1);
		assertThat(requests("rejected")).isEqualTo(rejected + 1);
	}

	private double requests(String outcome) {
		var counter = meters.find("idempotency.requests")
			.tags("endpoint", "POST /payments", "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double completions(String result) {
		return meters.find("idempotency.completions")
			.tags("endpoint", "POST /large", "result", result)
			.counters()
			.stream()
			.mapToDouble(io.micrometer.core.instrument.Counter::count)
			.sum();
	}

	private static IdempotencyKey scoped(String endpoint, String key) {
		return new IdempotencyKey("anonymous", endpoint, key);
	}

	private ResultActions perform(MockHttpServletRequestBuilder request) {
		try {
			return mvc.perform(request);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
