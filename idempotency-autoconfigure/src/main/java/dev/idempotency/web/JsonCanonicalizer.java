package dev.idempotency.web;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Rewrites a JSON document in a canonical form, as UTF-8, so that requests that mean the
 * same thing fingerprint the same: object members sorted by name (by the bytes of their
 * canonical form; members of one name keep their order), no insignificant whitespace,
 * strings escaped one way (lone surrogates too, in hex, so the form is valid UTF-8 and
 * injective), numbers as spelled or, when asked, by value ({@code 100}, {@code 100.0} and
 * {@code 1e2} equal). Written with the JDK alone so the fingerprint does not depend on
 * which JSON library the application has.
 * <p>
 * Bounded work: one pass over the document (at most
 * {@code idempotency.request.max-body-size}); an object whose members arrive unsorted is
 * sorted (O(m log m) name comparisons) and its bytes moved once, so a byte moves at most
 * once per enclosing object, {@link #MAX_DEPTH} times. Deeper documents are not
 * canonicalised.
 */
final class JsonCanonicalizer {

	/** Nesting deeper than this is not canonicalised: the caller hashes the bytes. */
	static final int MAX_DEPTH = 64;

	/** Longer numbers are kept as spelled even when numbers are normalised. */
	static final int MAX_CANONICAL_NUMBER_LENGTH = 100;

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private final char[] in;

	private final int end;

	private final boolean normalizeNumbers;

	private int pos;

	private byte[] out;

	private int size;

	/** Members of the open objects: (start, end of name, end) in {@link #out}. */
	private int[] members = new int[3 * 32];

	private int memberCount;

	private byte[] moved = new byte[0];

	private JsonCanonicalizer(char[] in, int start, int end, boolean normalizeNumbers) {
		this.in = in;
		this.pos = start;
		this.end = end;
		this.normalizeNumbers = normalizeNumbers;
		this.out = new byte[end - start + 16];
	}

	/**
	 * Canonicalises a document.
	 * @param json the document
	 * @param normalizeNumbers whether numbers are written by value rather than as spelled
	 * @return its canonical form in UTF-8, or {@code null} when it is not valid JSON or
	 * nests deeper than {@link #MAX_DEPTH}
	 */
	static @Nullable ByteBuffer canonicalize(CharBuffer json, boolean normalizeNumbers) {
		if (!json.hasArray()) {
			json = CharBuffer.wrap(json.toString().toCharArray());
		}
		int start = json.arrayOffset() + json.position();
		JsonCanonicalizer canonicalizer = new JsonCanonicalizer(json.array(), start, start + json.remaining(),
				normalizeNumbers);
		try {
			canonicalizer.value(0);
			canonicalizer.skipWhitespace();
			if (canonicalizer.pos != canonicalizer.end) {
				return null;
			}
			return ByteBuffer.wrap(canonicalizer.out, 0, canonicalizer.size);
		}
		catch (InvalidJson | NumberFormatException | ArithmeticException ex) {
			// The last two: a normalised number's exponent beyond BigDecimal's scale.
			return null;
		}
	}

	private void value(int depth) {
		skipWhitespace();
		char c = peek();
		switch (c) {
			case '{' -> object(depth + 1);
			case '[' -> array(depth + 1);
			case '"' -> string();
			case 't' -> literal("true");
			case 'f' -> literal("false");
			case 'n' -> literal("null");
			default -> number();
		}
	}

	private void object(int depth) {
		checkDepth(depth);
		pos++;
		write('{');
		skipWhitespace();
		if (peek() == '}') {
			pos++;
			write('}');
			return;
		}
		int first = memberCount;
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw InvalidJson.INSTANCE;
			}
			int start = size;
			string();
			int nameEnd = size;
			skipWhitespace();
			expect(':');
			write(':');
			value(depth);
			addMember(start, nameEnd, size);
			skipWhitespace();
			char c = next();
			if (c == '}') {
				break;
			}
			if (c != ',') {
				throw InvalidJson.INSTANCE;
			}
			write(',');
		}
		if (!sorted(first)) {
			sortMembers(first);
		}
		memberCount = first;
		write('}');
	}

	private void array(int depth) {
		checkDepth(depth);
		pos++;
		write('[');
		skipWhitespace();
		if (peek() == ']') {
			pos++;
			write(']');
			return;
		}
		while (true) {
			value(depth);
			skipWhitespace();
			char c = next();
			if (c == ']') {
				break;
			}
			if (c != ',') {
				throw InvalidJson.INSTANCE;
			}
			write(',');
		}
		write(']');
	}

	private static void checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw InvalidJson.INSTANCE;
		}
	}

	private void addMember(int start, int nameEnd, int memberEnd) {
		int i = 3 * memberCount;
		if (i + 3 > members.length) {
			members = Arrays.copyOf(members, 2 * members.length);
		}
		members[i] = start;
		members[i + 1] = nameEnd;
		members[i + 2] = memberEnd;
		memberCount++;
	}

	private boolean sorted(int first) {
		for (int m = first + 1; m < memberCount; m++) {
			if (compareNames(m - 1, m) > 0) {
				return false;
			}
		}
		return true;
	}

	/** Names without their quotes: bytes of UTF-8 compare as code points do. */
	private int compareNames(int a, int b) {
		return Arrays.compareUnsigned(out, members[3 * a] + 1, members[3 * a + 1] - 1, out, members[3 * b] + 1,
				members[3 * b + 1] - 1);
	}

	/** Rewrites the object's members in name order; a stable sort keeps duplicates. */
	private void sortMembers(int first) {
		Integer[] order = new Integer[memberCount - first];
		for (int m = 0; m < order.length; m++) {
			order[m] = first + m;
		}
		Arrays.sort(order, this::compareNames);
		int regionStart = members[3 * first];
		int length = size - regionStart;
		if (moved.length < length) {
			moved = new byte[Math.max(length, 2 * moved.length)];
		}
		System.arraycopy(out, regionStart, moved, 0, length);
		size = regionStart;
		for (int m = 0; m < order.length; m++) {
			if (m > 0) {
				out[size++] = ',';
			}
			int start = members[3 * order[m]];
			int memberLength = members[3 * order[m] + 2] - start;
			System.arraycopy(moved, start - regionStart, out, size, memberLength);
			size += memberLength;
		}
	}

	/** Reads a string and writes it escaped the one canonical way. */
	private void string() {
		pos++;
		write('"');
		char high = 0;
		while (true) {
			int run = pos;
			while (pos < end && isPlainAscii(in[pos])) {
				pos++;
			}
			if (pos > run) {
				if (high != 0) {
					writeUnicodeEscape(high);
					high = 0;
				}
				writeAscii(run, pos);
			}
			char c = next();
			if (c == '"') {
				break;
			}
			if (c == '\\') {
				c = escaped();
			}
			else if (c < 0x20) {
				throw InvalidJson.INSTANCE;
			}
			if (high != 0) {
				if (Character.isLowSurrogate(c)) {
					writeCodePoint(Character.toCodePoint(high, c));
					high = 0;
					continue;
				}
				writeUnicodeEscape(high);
				high = 0;
			}
			if (Character.isHighSurrogate(c)) {
				high = c;
			}
			else {
				writeChar(c);
			}
		}
		if (high != 0) {
			writeUnicodeEscape(high);
		}
		write('"');
	}

	/** Most of a string: written as it is read. */
	private static boolean isPlainAscii(char c) {
		return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
	}

	private char escaped() {
		char c = next();
		return switch (c) {
			case '"', '\\', '/' -> c;
			case 'b' -> '\b';
			case 'f' -> '\f';
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			case 'u' -> (char) ((hexDigit() << 12) | (hexDigit() << 8) | (hexDigit() << 4) | hexDigit());
			default -> throw InvalidJson.INSTANCE;
		};
	}

	/**
	 * ASCII only: Character.digit would take other scripts' digits, which JSON does not.
	 */
	private int hexDigit() {
		char c = next();
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		throw InvalidJson.INSTANCE;
	}

	private void writeChar(char c) {
		ensure(6);
		if (c >= 0x80) {
			if (Character.isSurrogate(c)) {
				// A lone low surrogate has no UTF-8 form: escaped, it stays distinct.
				writeUnicodeEscape(c);
			}
			else if (c < 0x800) {
				out[size++] = (byte) (0xC0 | (c >> 6));
				out[size++] = (byte) (0x80 | (c & 0x3F));
			}
			else {
				out[size++] = (byte) (0xE0 | (c >> 12));
				out[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
				out[size++] = (byte) (0x80 | (c & 0x3F));
			}
			return;
		}
		switch (c) {
			case '"', '\\' -> {
				out[size++] = '\\';
				out[size++] = (byte) c;
			}
			case '\b' -> writeShortEscape('b');
			case '\f' -> writeShortEscape('f');
			case '\n' -> writeShortEscape('n');
			case '\r' -> writeShortEscape('r');
			case '\t' -> writeShortEscape('t');
			default -> {
				if (c < 0x20) {
					writeUnicodeEscape(c);
				}
				else {
					out[size++] = (byte) c;
				}
			}
		}
	}

	private void writeShortEscape(char c) {
		out[size++] = '\\';
		out[size++] = (byte) c;
	}

	private void writeUnicodeEscape(char c) {
		ensure(6);
		out[size++] = '\\';
		out[size++] = 'u';
		out[size++] = HEX[c >> 12];
		out[size++] = HEX[(c >> 8) & 0xF];
		out[size++] = HEX[(c >> 4) & 0xF];
		out[size++] = HEX[c & 0xF];
	}

	private void writeCodePoint(int codePoint) {
		ensure(4);
		out[size++] = (byte) (0xF0 | (codePoint >> 18));
		out[size++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
		out[size++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
		out[size++] = (byte) (0x80 | (codePoint & 0x3F));
	}

	/**
	 * Checks a number against the JSON grammar by hand and writes it as spelled, or by
	 * value when asked.
	 */
	private void number() {
		int start = pos;
		if (peek() == '-') {
			pos++;
		}
		if (peek() == '0') {
			pos++;
		}
		else {
			digits();
		}
		if (pos < end && in[pos] == '.') {
			pos++;
			digits();
		}
		if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
			pos++;
			if (peek() == '+' || peek() == '-') {
				pos++;
			}
			digits();
		}
		int length = pos - start;
		if (normalizeNumbers && length <= MAX_CANONICAL_NUMBER_LENGTH && !isCanonicalInteger(start, pos)) {
			// Longer numbers are kept as spelled: normalising is superlinear in the
			// digits, and no real amount is this long.
			BigDecimal number = new BigDecimal(in, start, length);
			writeAscii((number.signum() == 0) ? "0" : number.stripTrailingZeros().toString());
			return;
		}
		writeAscii(start, pos);
	}

	/**
	 * Whether a number is an integer that {@link BigDecimal} would write as spelled: no
	 * fraction, no exponent, no trailing zero, not zero. Most amounts; no BigDecimal
	 * made.
	 */
	private boolean isCanonicalInteger(int from, int to) {
		for (int i = from; i < to; i++) {
			if (in[i] == '.' || in[i] == 'e' || in[i] == 'E') {
				return false;
			}
		}
		return in[to - 1] != '0';
	}

	/** One digit or more. */
	private void digits() {
		if (!isDigit(peek())) {
			throw InvalidJson.INSTANCE;
		}
		do {
			pos++;
		}
		while (pos < end && isDigit(in[pos]));
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private void literal(String literal) {
		for (int i = 0; i < literal.length(); i++) {
			if (next() != literal.charAt(i)) {
				throw InvalidJson.INSTANCE;
			}
		}
		writeAscii(literal);
	}

	private void writeAscii(String ascii) {
		ensure(ascii.length());
		for (int i = 0; i < ascii.length(); i++) {
			out[size++] = (byte) ascii.charAt(i);
		}
	}

	private void writeAscii(int from, int to) {
		ensure(to - from);
		for (int i = from; i < to; i++) {
			out[size++] = (byte) in[i];
		}
	}

	private void write(char ascii) {
		ensure(1);
		out[size++] = (byte) ascii;
	}

	private void ensure(int bytes) {
		if (size + bytes > out.length) {
			out = Arrays.copyOf(out, Math.max(2 * out.length, size + bytes));
		}
	}

	private void expect(char c) {
		if (next() != c) {
			throw InvalidJson.INSTANCE;
		}
	}

	private char peek() {
		if (pos >= end) {
			throw InvalidJson.INSTANCE;
		}
		return in[pos];
	}

	private char next() {
		char c = peek();
		pos++;
		return c;
	}

	private void skipWhitespace() {
		while (pos < end) {
			char c = in[pos];
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
				return;
			}
			pos++;
		}
	}

	/** Not JSON, or too deep: thrown often by hostile input, so without a stack trace. */
	private static final class InvalidJson extends RuntimeException {

		static final InvalidJson INSTANCE = new InvalidJson();

		private InvalidJson() {
			super("Not canonical JSON", null, false, false);
		}

	}

}
