package dev.idempotency.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.idempotency.IdempotencyKey;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOperationCustomizer;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents {@code @Idempotent} operations in springdoc's OpenAPI description: the key
 * header (required or not, its format), the problems the protocol answers with (400, 409,
 * 413, 422, 503 as {@code application/problem+json}), how long responses are replayed,
 * and an {@code x-idempotency} extension with the policy, for generated clients.
 */
public class IdempotencyOpenApiCustomizer implements GlobalOperationCustomizer {

	private final IdempotencySettings settings;

	private final EndpointPolicy.Resolver policies;

	/**
	 * Creates the customizer.
	 * @param settings the web layer's settings
	 */
	public IdempotencyOpenApiCustomizer(IdempotencySettings settings) {
		this.settings = settings;
		this.policies = new EndpointPolicy.Resolver(settings);
	}

	@Override
	public Operation customize(Operation operation, HandlerMethod handler) {
		Optional<EndpointPolicy> found = policies.forHandler(handler);
		if (found.isEmpty() || !appliesToAMappedMethod(found.get(), handler)) {
			return operation;
		}
		EndpointPolicy policy = found.get();
		if (policy.key() == null) {
			operation.addParametersItem(new HeaderParameter().name(settings.headerName())
				.required(policy.keyRequired())
				.description("Makes the request safe to retry: a retry with the same key and the same request "
						+ "gets the first response back (with Idempotent-Replayed: true) instead of running again. "
						+ "A unique value per operation, such as a UUID; the IETF structured-field string form is "
						+ "accepted too.")
				.schema(new StringSchema().minLength(1).maxLength(IdempotencyKey.MAX_CLIENT_KEY_LENGTH)));
		}
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		problem(responses, "400", "The idempotency key is missing or malformed");
		problem(responses, "409", "A request with the same key is still in progress; retry after Retry-After seconds");
		problem(responses, "413", "The request body is larger than an idempotent request may be");
		problem(responses, "422", "The key was already used for a different request");
		problem(responses, "503", "The idempotency store is unavailable; nothing was run");
		operation.setResponses(responses);
		String note = "Idempotent: responses are replayed for " + policy.retention() + " after the first request.";
		operation
			.setDescription((operation.getDescription() != null) ? operation.getDescription() + "\n\n" + note : note);
		operation.addExtension("x-idempotency",
				new LinkedHashMap<>(Map.of("header", settings.headerName(), "keyRequired", policy.keyRequired(),
						"retention", policy.retention().toString(), "keyFromRequest", policy.key() != null)));
		return operation;
	}

	private static void problem(ApiResponses responses, String status, String description) {
		if (!responses.containsKey(status)) {
			responses.addApiResponse(status,
					new ApiResponse().description(description)
						.content(new Content().addMediaType(IdempotencyProblem.CONTENT_TYPE,
								new MediaType().schema(new ObjectSchema()))));
		}
	}

	/** A class-level annotation covers only some of a controller's methods. */
	private static boolean appliesToAMappedMethod(EndpointPolicy policy, HandlerMethod handler) {
		RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
		RequestMethod[] methods = (mapping != null) ? mapping.method() : new RequestMethod[0];
		return methods.length == 0 || Arrays.stream(methods).anyMatch((method) -> policy.appliesTo(method.name()));
	}

}
