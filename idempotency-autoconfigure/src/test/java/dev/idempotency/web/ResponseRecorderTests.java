package dev.idempotency.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseRecorderTests {

	private final ResponseRecorder recorder = new ResponseRecorder(IdempotencySettings.DEFAULT_REPLAYED_HEADERS);

	@Test
	void replaysOnlyAllowListedHeadersWhateverTheStoreHolds() throws Exception {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("Content-Type", List.of("application/json"));
		headers.put("Location", List.of("/payments/1"));
		headers.put("Set-Cookie", List.of("session=planted"));
		headers.put("Access-Control-Allow-Origin", List.of("*"));
		MockHttpServletResponse response = new MockHttpServletResponse();

		recorder.replay(new StoredResponse(201, headers, "{}".getBytes(StandardCharsets.UTF_8)), response);

		assertThat(response.getStatus()).isEqualTo(201);
		assertThat(response.getHeaderNames()).containsExactlyInAnyOrder("Content-Type", "Content-Length", "Location",
				ResponseRecorder.REPLAYED_HEADER);
		assertThat(response.getContentAsString()).isEqualTo("{}");
	}

	@Test
	void replaysAStoredContentTypeWithoutAValueAsNone() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		recorder.replay(new StoredResponse(200, Map.of("Content-Type", List.of()), new byte[0]), response);
		assertThat(response.getContentType()).isNull();
	}

}
