package dev.idempotency.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Rewrites a JSON document in a canonical form so that requests that mean the same thing
 * fingerprint the same: object members sorted by name (UTF-16 code units, as RFC 8785),
 * no insignificant whitespace, strings escaped one way, numbers by value ({@code 100},
 * {@code 100.0} and {@code 1e2} are equal). Written with the JDK alone so the fingerprint
 * does not depend on which JSON library the application has.
 */
final class JsonCanonicalizer {

	/** Longer numbers are hashed as spelled, not normalised. */
	static final int MAX_CANONICAL_NUMBER_LENGTH = 100;

	private static final int MAX_DEPTH = 256;

	private final String json;

	private final boolean normalizeNumbers;

	private int pos;

	private JsonCanonicalizer(String json, boolean normalizeNumbers) {
		this.json = json;
		this.normalizeNumbers = normalizeNumbers;
	}

	/**
	 * Canonicalises a document.
	 * @param json the document
	 * @param normalizeNumbers whether numbers are written by value rather than as spelled
	 * @return its canonical form, or {@code null} when it is not valid JSON
	 */
	static @Nullable String canonicalize(String json, boolean normalizeNumbers) {
		JsonCanonicalizer parser = new JsonCanonicalizer(json, normalizeNumbers);
		try {
			StringBuilder out = new StringBuilder(json.length());
			parser.value(out, 0);
			parser.skipWhitespace();
			return (parser.pos == json.length()) ? out.toString() : null;
		}
		catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
			return null;
		}
	}

	private void value(StringBuilder out, int depth) {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("Too deep");
		}
		skipWhitespace();
		char c = json.charAt(pos);
		switch (c) {
			case '{' -> object(out, depth);
			case '[' -> array(out, depth);
			case '"' -> writeString(out, string());
			case 't' -> literal(out, "true");
			case 'f' -> literal(out, "false");
			case 'n' -> literal(out, "null");
			default -> number(out);
		}
	}

	private void object(StringBuilder out, int depth) {
		pos++;
		List<Map.Entry<String, String>> members = new ArrayList<>();
		skipWhitespace();
		if (json.charAt(pos) != '}') {
			do {
				skipWhitespace();
				String name = string();
				skipWhitespace();
				expect(':');
				StringBuilder member = new StringBuilder();
				value(member, depth + 1);
				members.add(Map.entry(name, member.toString()));
				skipWhitespace();
			}
			while (json.charAt(pos++) == ',');
			pos--;
		}
		expect('}');
		members.sort(Map.Entry.comparingByKey());
		out.append('{');
		for (int i = 0; i < members.size(); i++) {
			if (i > 0) {
				out.append(',');
			}
			writeString(out, members.get(i).getKey());
			out.append(':').append(members.get(i).getValue());
		}
		out.append('}');
	}

	private void array(StringBuilder out, int depth) {
		pos++;
		out.append('[');
		skipWhitespace();
		if (json.charAt(pos) != ']') {
			boolean first = true;
			do {
				if (!first) {
					out.append(',');
				}
				first = false;
				value(out, depth + 1);
				skipWhitespace();
			}
			while (json.charAt(pos++) == ',');
			pos--;
		}
		expect(']');
		out.append(']');
	}

	private String string() {
		expect('"');
		StringBuilder value = new StringBuilder();
		while (true) {
			char c = json.charAt(pos++);
			if (c == '"') {
				return value.toString();
			}
			if (c < 0x20) {
				throw new IllegalArgumentException("Control character in string");
			}
			if (c != '\\') {
				value.append(c);
				continue;
			}
			char escape = json.charAt(pos++);
			switch (escape) {
				case '"', '\\', '/' -> value.append(escape);
				case 'b' -> value.append('\b');
				case 'f' -> value.append('\f');
				case 'n' -> value.append('\n');
				case 'r' -> value.append('\r');
				case 't' -> value.append('\t');
				case 'u' -> {
					value.append((char) Integer.parseInt(json.substring(pos, pos + 4), 16));
					pos += 4;
				}
				default -> throw new IllegalArgumentException("Bad escape");
			}
		}
	}

	private void number(StringBuilder out) {
		int start = pos;
		while (pos < json.length() && "+-0123456789.eE".indexOf(json.charAt(pos)) >= 0) {
			pos++;
		}
		String token = json.substring(start, pos);
		if (!token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
			throw new IllegalArgumentException("Bad number");
		}
		if (!normalizeNumbers || token.length() > MAX_CANONICAL_NUMBER_LENGTH) {
			// Normalising is superlinear in the digits: a hostile number would hold the
			// thread. No real amount is this long; the spelling is kept as sent.
			out.append(token);
			return;
		}
		BigDecimal number = new BigDecimal(token);
		out.append((number.signum() == 0) ? "0" : number.stripTrailingZeros().toString());
	}

	private void literal(StringBuilder out, String literal) {
		if (!json.startsWith(literal, pos)) {
			throw new IllegalArgumentException("Bad literal");
		}
		pos += literal.length();
		out.append(literal);
	}

	private void expect(char c) {
		if (json.charAt(pos++) != c) {
			throw new IllegalArgumentException("Expected " + c);
		}
	}

	private void skipWhitespace() {
		while (pos < json.length() && " \t\n\r".indexOf(json.charAt(pos)) >= 0) {
			pos++;
		}
	}

	private static void writeString(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (Character.isHighSurrogate(c) && i + 1 < value.length()
							&& Character.isLowSurrogate(value.charAt(i + 1))) {
						out.append(c).append(value.charAt(++i));
					}
					else if (c < 0x20 || Character.isSurrogate(c)) {
						// A lone surrogate has no UTF-8 form: escaped, it stays distinct.
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
