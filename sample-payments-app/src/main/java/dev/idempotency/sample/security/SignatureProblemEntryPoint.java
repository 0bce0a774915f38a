package dev.idempotency.sample.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.idempotency.sample.web.ProblemTypes;
import dev.idempotency.sample.webhook.GatewaySignature;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers webhook deliveries without a valid signature with {@code 401} and RFC 9457
 * problem details.
 */
class SignatureProblemEntryPoint implements AuthenticationEntryPoint {

	private final JsonMapper jsonMapper;

	SignatureProblemEntryPoint(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		boolean signed = request.getHeader(GatewaySignature.HEADER) != null;
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", ProblemTypes.INVALID_SIGNATURE.toString());
		problem.put("title", "Invalid signature");
		problem.put("status", HttpServletResponse.SC_UNAUTHORIZED);
		problem.put("detail", signed ? "The Gateway-Signature does not match the body."
				: "Sign the body: 'Gateway-Signature: sha256=<hex HMAC-SHA256 of the body>'.");
		problem.put("instance", request.getRequestURI());
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(jsonMapper.writeValueAsBytes(problem));
	}

}
