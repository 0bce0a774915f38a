package dev.idempotency.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.idempotency.web.Sha256RequestFingerprinter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The request fingerprint of a ~1 MB JSON body (an array of payment-like objects, a third
 * of them with unsorted members) beside Jackson parsing the same bytes: what the
 * canonical form costs next to the parse the handler pays for anyway. Jackson is Spring
 * Boot 4's, version 3.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FingerprintBenchmark {

	static final int TARGET_SIZE = 1024 * 1024;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Sha256RequestFingerprinter canonical = new Sha256RequestFingerprinter(true);

	private final Sha256RequestFingerprinter normalizingNumbers = new Sha256RequestFingerprinter(true, true);

	private final Sha256RequestFingerprinter raw = new Sha256RequestFingerprinter(false);

	private MockHttpServletRequest request;

	private byte[] body;

	@Setup(Level.Trial)
	public void setUp() {
		this.body = payments(TARGET_SIZE).getBytes(StandardCharsets.UTF_8);
		this.request = new MockHttpServletRequest("POST", "/api/v1/payments/batch");
		this.request.setContentType("application/json");
	}

	/** Canonical JSON, numbers as spelled: the default. */
	@Benchmark
	public String fingerprintCanonical() {
		return this.canonical.fingerprint(this.request, this.body);
	}

	/** Canonical JSON, numbers by value. */
	@Benchmark
	public String fingerprintNormalizingNumbers() {
		return this.normalizingNumbers.fingerprint(this.request, this.body);
	}

	/** SHA-256 of the bytes as sent: the floor. */
	@Benchmark
	public String fingerprintRaw() {
		return this.raw.fingerprint(this.request, this.body);
	}

	/** What a handler binding the body to a tree pays. */
	@Benchmark
	public JsonNode jacksonReadTree() {
		return this.mapper.readTree(this.body);
	}

	/** Jackson's tokenizer alone, binding nothing. */
	@Benchmark
	public int jacksonTokens() {
		int tokens = 0;
		try (JsonParser parser = this.mapper.createParser(this.body)) {
			while (parser.nextToken() != null) {
				tokens++;
			}
		}
		return tokens;
	}

	/** An array of payments, {@code size} characters or a little more. */
	static String payments(int size) {
		Random random = new Random(42);
		StringBuilder json = new StringBuilder(size + 1024).append('[');
		for (int i = 0; json.length() < size; i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append((i % 3 == 0) ? unsorted(i, random) : sorted(i, random));
		}
		return json.append(']').toString();
	}

	private static String sorted(int i, Random random) {
		return """
				{"amount":%d,"capture":true,"currency":"EUR","customerId":"cust-%06d",\
				"description":"Order #%d, café & crème brûlée","fee":%d.%02d,\
				"metadata":{"channel":"web","orderId":"ord-%d","retry":null,"tags":["gift","eu"]},\
				"rate":0.029,"reference":"PAY-%08X"}""".formatted(random.nextInt(1_000_000), i, i, random.nextInt(100),
				random.nextInt(100), i, random.nextInt());
	}

	private static String unsorted(int i, Random random) {
		return """
				{ "reference": "PAY-%08X", "currency": "USD", "amount": %d,
				  "customerId": "cust-%06d", "description": "Invoice %d \\u2013 \\"pro\\" plan",
				  "metadata": { "tags": ["b2b"], "orderId": "ord-%d", "channel": "api" },
				  "fee": %de-2, "capture": false, "rate": 2.9E-2 }""".formatted(random.nextInt(),
				random.nextInt(1_000_000), i, i, i, random.nextInt(10_000));
	}

}
