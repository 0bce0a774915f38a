package dev.idempotency.slice;

import java.util.concurrent.atomic.AtomicInteger;

import dev.idempotency.Idempotent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A user's {@code @WebMvcTest} of an {@code @Idempotent} controller needs nothing more:
 * the starter adds itself to the Web MVC slice, with the in-memory store (a slice has no
 * DataSource and no Redis).
 */
@WebMvcTest(WebMvcSliceTests.OrderController.class)
class WebMvcSliceTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void theSliceReplaysRetriesAndRefusesMissingKeys() throws Exception {
		mvc.perform(post("/orders").header("Idempotency-Key", "k1")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"sku\":\"book\"}")).andExpect(status().isCreated()).andExpect(content().string("order 1"));
		mvc.perform(post("/orders").header("Idempotency-Key", "k1")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"sku\":\"book\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string("order 1"));
		mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"sku\":\"book\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://idempotency.dev/problems/missing-key"));
	}

	/** Nested in a test class, the controller is not scanned: imported instead. */
	@SpringBootApplication
	@Import(OrderController.class)
	static class SliceApplication {

	}

	@RestController
	static class OrderController {

		private final AtomicInteger orders = new AtomicInteger();

		@Idempotent
		@PostMapping("/orders")
		org.springframework.http.ResponseEntity<String> create(@RequestBody String order) {
			return org.springframework.http.ResponseEntity.status(201).body("order " + orders.incrementAndGet());
		}

	}

}
