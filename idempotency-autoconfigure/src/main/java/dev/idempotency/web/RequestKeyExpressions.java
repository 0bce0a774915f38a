package dev.idempotency.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.idempotency.IdempotencyKey;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.support.DataBindingPropertyAccessor;
import org.springframework.expression.spel.support.MapAccessor;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * Reads a key (and a scope) from the request itself, for senders that never send the key
 * header: a webhook's event id is in its body. Expressions see {@code #body}, the JSON
 * body as maps and lists, and {@code #headers}, each header's first value by lower-case
 * name. Evaluated in a {@link SimpleEvaluationContext}: the data comes from outside, so
 * the expression can read it and do nothing else.
 */
public final class RequestKeyExpressions {

	private final JsonMapper mapper;

	/**
	 * Creates the reader.
	 * @param mapper reads JSON bodies
	 */
	public RequestKeyExpressions(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The values an expression sees for one request; the body is parsed once for the key
	 * and the scope.
	 */
	EvaluationContext context(HttpServletRequest request, byte[] body) {
		EvaluationContext context = SimpleEvaluationContext
			.forPropertyAccessors(new MapAccessor(false), DataBindingPropertyAccessor.forReadOnlyAccess())
			.build();
		context.setVariable("body", json(body));
		context.setVariable("headers", headers(request));
		return context;
	}

	/**
	 * Evaluates to a key part.
	 * @return the value, or {@code null} when the request does not have it
	 * @throws IdempotencyProblem when it is too long or not printable ASCII, as a header
	 * key would be refused
	 */
	static @Nullable String value(Expression expression, EvaluationContext context) {
		Object value;
		try {
			value = expression.getValue(context);
		}
		catch (RuntimeException ex) {
			return null;
		}
		if (value == null || value.toString().isEmpty()) {
			return null;
		}
		String key = value.toString();
		if (key.length() > IdempotencyKey.MAX_CLIENT_KEY_LENGTH
				|| !key.chars().allMatch((c) -> c >= 0x20 && c <= 0x7E)) {
			throw IdempotencyProblem.invalidKey("The key read from the request (" + expression.getExpressionString()
					+ ") must have 1 to " + IdempotencyKey.MAX_CLIENT_KEY_LENGTH + " printable ASCII characters.");
		}
		return key;
	}

	private @Nullable Object json(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return mapper.readValue(body, Object.class);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static Map<String, String> headers(HttpServletRequest request) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String name : Collections.list(request.getHeaderNames())) {
			headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
		}
		return headers;
	}

}
