package com.example.streaming;

import dev.idempotency.Idempotent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A user's application with an {@code @Idempotent} handler that streams server-sent
 * events: a stream cannot be stored and replayed, so it must not start.
 */
@SpringBootApplication
class StreamingApplication {

	@RestController
	static class OrderStreamController {

		@Idempotent
		@PostMapping("/orders/stream")
		SseEmitter streamOrderEvents() {
			SseEmitter emitter = new SseEmitter();
			emitter.complete();
			return emitter;
		}

	}

}
