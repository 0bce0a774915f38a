package dev.idempotency.sample.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.idempotency.sample.web.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers unauthenticated API requests with {@code 401}, RFC 9457 problem details and
 * {@code WWW-Authenticate: Bearer}.
 */
class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final JsonMapper jsonMapper;

	ProblemAuthenticationEntryPoint(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		boolean keyGiven = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", ProblemTypes.UNAUTHORIZED.toString());
		problem.put("title", "Unauthorized");
		problem.put("status", HttpServletResponse.SC_UNAUTHORIZED);
		problem.put("detail",
				keyGiven ? "The API key is not valid." : "Send your API key as 'Authorization: Bearer <api key>'.");
		problem.put("instance", request.getRequestURI());
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				keyGiven ? "Bearer realm=\"payments\", error=\"invalid_token\"" : "Bearer realm=\"payments\"");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(jsonMapper.writeValueAsBytes(problem));
	}

}
