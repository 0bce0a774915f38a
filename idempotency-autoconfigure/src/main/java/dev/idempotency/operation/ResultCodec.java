package dev.idempotency.operation;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.idempotency.StoredResponse;
import dev.idempotency.engine.Sha256;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores an operation's result as JSON in a {@link StoredResponse} (status 200, or 204
 * for {@code null} and {@code void}) and reads it back into the declared type; and
 * digests the values that fingerprint an operation's input. Map entries are sorted, so
 * equal maps built in different orders give one fingerprint.
 */
public final class ResultCodec {

	private static final String JSON = "application/json";

	private static final int NO_RESULT = 204;

	/** A result that could not be written as JSON: duplicates fail rather than rerun. */
	private static final int UNREADABLE = 500;

	private final JsonMapper mapper;

	/**
	 * Creates a codec.
	 * @param mapper the application's mapper; a copy sorting map entries is used
	 */
	public ResultCodec(JsonMapper mapper) {
		this.mapper = mapper.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
	}

	StoredResponse encode(@Nullable Object result) {
		if (result == null) {
			return new StoredResponse(NO_RESULT, Map.of(), new byte[0]);
		}
		try {
			return new StoredResponse(200, Map.of("Content-Type", List.of(JSON)), mapper.writeValueAsBytes(result));
		}
		catch (JacksonException ex) {
			byte[] reason = ("Result of type " + result.getClass().getName() + " could not be written as JSON: "
					+ ex.getOriginalMessage())
				.getBytes(StandardCharsets.UTF_8);
			return new StoredResponse(UNREADABLE, Map.of(), reason);
		}
	}

	@Nullable Object decode(StoredResponse stored, Type type) {
		if (stored.status() == NO_RESULT || type == void.class || type == Void.class) {
			return null;
		}
		if (stored.status() != 200) {
			throw new IllegalStateException("The operation ran, but its result was not stored: "
					+ new String(stored.body(), StandardCharsets.UTF_8));
		}
		JavaType javaType = mapper.getTypeFactory().constructType(type);
		return mapper.readValue(stored.body(), javaType);
	}

	/**
	 * A digest of values as JSON.
	 * @param values the values
	 * @return the hex SHA-256, tagged
	 * @throws IllegalStateException if a value cannot be written as JSON
	 */
	String fingerprint(List<@Nullable Object> values) {
		byte[] json;
		try {
			json = mapper.writeValueAsBytes(values);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(
					"An argument cannot be written as JSON to fingerprint the call; "
							+ "choose the arguments with @Idempotent(fingerprint = ...): " + ex.getOriginalMessage(),
					ex);
		}
		return "json-args:" + Sha256.hex(json);
	}

}
