package dev.idempotency.web;

import dev.idempotency.Idempotent;
import dev.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import dev.idempotency.autoconfigure.IdempotencyWebMvcAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotentEndpointsVerifierTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
					IdempotencyAutoConfiguration.class, IdempotencyWebMvcAutoConfiguration.class));

	@Test
	void failsStartUpWhenAnIdempotentHandlerStreamsEvents() {
		runner.withUserConfiguration(SseController.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()

				.hasStackTraceContaining("SseController#events")
				.hasStackTraceContaining("streams its response"));
	}

	@Test
	void failsStartUpWhenAnIdempotentHandlerStreamsItsBody() {
		runner.withUserConfiguration(StreamingController.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()

				.hasStackTraceContaining("StreamingController#download"));
	}

	@Test
	void failsStartUpWhenAMethodLevelAnnotationSitsOnAGet() {
		runner.withUserConfiguration(GetController.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()

				.hasStackTraceContaining("safe methods are never idempotent"));
	}

	@Test
	void acceptsAClassLevelAnnotationOverAStreamingGet() {
		runner.withUserConfiguration(ClassLevelController.class)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(IdempotentEndpointsVerifier.class));
	}

	@Test
	void failsStartUpOnAMalformedDuration() {
		runner.withUserConfiguration(BadDurationController.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()

				.hasStackTraceContaining("is not a positive duration"));
	}

	@RestController
	static class SseController {

		@Idempotent
		@PostMapping("/events")
		SseEmitter events() {
			return new SseEmitter();
		}

	}

	@RestController
	static class StreamingController {

		@Idempotent
		@PostMapping("/download")
		ResponseEntity<StreamingResponseBody> download() {
			return ResponseEntity.ok((out) -> out.write(1));
		}

	}

	@RestController
	static class GetController {

		@Idempotent
		@GetMapping("/read")
		String read() {
			return "read";
		}

	}

	@RestController
	@Idempotent
	static class ClassLevelController {

		@GetMapping("/feed")
		SseEmitter feed() {
			return new SseEmitter();
		}

		@PostMapping("/create")
		String create() {
			return "created";
		}

	}

	@RestController
	static class BadDurationController {

		@Idempotent(retention = "forever")
		@PostMapping("/bad")
		String bad() {
			return "bad";
		}

	}

}
