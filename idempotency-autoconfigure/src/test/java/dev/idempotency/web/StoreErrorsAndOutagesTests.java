package dev.idempotency.web;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import dev.idempotency.ClaimResult;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyRecord;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.IdempotencyStoreException;
import dev.idempotency.StoredResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class StoreErrorsAndOutagesTests {

	@Nested
	@SpringBootTest(classes = ProtocolTestApplication.class,
			properties = { "idempotency.store.type=in-memory", "idempotency.response.store-errors=true" })
	@AutoConfigureMockMvc
	class WhenErrorsAreStored {

		@Autowired
		private MockMvc mvc;

		@BeforeEach
		void resetCalls() {
			ProtocolTestApplication.calls.set(0);
		}

		@Test
		void clientErrorIsReplayedInsteadOfRunningAgain() throws Exception {
			String key = UUID.randomUUID().toString();
			for (int attempt = 0; attempt < 2; attempt++) {
				mvc.perform(post("/validated").header("Idempotency-Key", key)
					.contentType(MediaType.APPLICATION_JSON)
					.content("{\"amount\":-5}"))
					.andExpect(status().isBadRequest())
					.andExpect(jsonPath("$.detail").value("amount must be positive"));
			}
			assertThat(ProtocolTestApplication.calls).hasValue(1);
		}

	}

	@Nested
	@SpringBootTest(classes = { ProtocolTestApplication.class, BrokenStoreConfiguration.class })
	@AutoConfigureMockMvc
	class WhenTheStoreIsDown {

		@Autowired
		private MockMvc mvc;

		@BeforeEach
		void resetCalls() {
			ProtocolTestApplication.calls.set(0);
		}

		@Test
		void answers503WithRetryAfterAndNeverRunsTheHandler() throws Exception {
			mvc.perform(post("/payments").header("Idempotency-Key", "k")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(header().string("Retry-After", "1"))
				.andExpect(content().contentType("application/problem+json"))
				.andExpect(jsonPath("$.type").value("https://idempotency.dev/problems/store-unavailable"));
			assertThat(ProtocolTestApplication.calls).hasValue(0);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class BrokenStoreConfiguration {

		@Bean
		IdempotencyStore brokenStore() {
			return new IdempotencyStore() {

				@Override
				public ClaimResult claim(IdempotencyKey key, String fingerprint, Duration lockTimeout) {
					throw new IdempotencyStoreException("connection refused");
				}

				@Override
				public boolean complete(IdempotencyKey key, String lockToken, StoredResponse response,
						Duration retention) {
					throw new IdempotencyStoreException("connection refused");
				}

				@Override
				public boolean release(IdempotencyKey key, String lockToken) {
					throw new IdempotencyStoreException("connection refused");
				}

				@Override
				public Optional<IdempotencyRecord> find(IdempotencyKey key) {
					throw new IdempotencyStoreException("connection refused");
				}

			};
		}

	}

}
