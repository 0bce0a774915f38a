package dev.idempotency.web;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes two requests the same request.
 */
class Sha256RequestFingerprinterTests {

	private static final String LATIN_1_JSON = "application/json;charset=ISO-8859-1";

	private final Sha256RequestFingerprinter fingerprinter = new Sha256RequestFingerprinter(true);

	@Test
	void bodiesThatDifferOnlyInMemberOrderAndWhitespaceAreOneRequest() {
		assertThat(fingerprint("application/json", "{ \"b\": 2, \"a\": 1 }"))
			.isEqualTo(fingerprint("application/json", "{\"a\":1,\"b\":2}"));
	}

	@Test
	void aLoneSurrogateIsNotAQuestionMark() {
		assertThat(fingerprint("application/json", "{\"c\":\"cust-\\ud800\"}"))
			.isNotEqualTo(fingerprint("application/json", "{\"c\":\"cust-?\"}"));
	}

	@Test
	void numberSpellingsAreDifferentRequestsByDefault() {
		assertThat(fingerprint("application/json", "{\"amount\":100}"))
			.isNotEqualTo(fingerprint("application/json", "{\"amount\":1e2}"));
	}

	@Test
	void numberSpellingsAreOneRequestWhenNormalisationIsOn() {
		Sha256RequestFingerprinter normalizing = new Sha256RequestFingerprinter(true, true);
		assertThat(normalizing.fingerprint(request("application/json"), bytes("{\"amount\":100}")))
			.isEqualTo(normalizing.fingerprint(request("application/json"), bytes("{\"amount\":1e2}")));
	}

	@Test
	void differentAccentsInALatin1BodyAreDifferentRequests() {
		assertThat(fingerprint(LATIN_1_JSON, "{\"n\":\"café\"}", StandardCharsets.ISO_8859_1))
			.isNotEqualTo(fingerprint(LATIN_1_JSON, "{\"n\":\"cafè\"}", StandardCharsets.ISO_8859_1));
	}

	@Test
	void theSameTextInTwoDeclaredCharsetsIsOneRequest() {
		assertThat(fingerprint(LATIN_1_JSON, "{\"n\":\"café\"}", StandardCharsets.ISO_8859_1))
			.isEqualTo(fingerprint("application/json;charset=UTF-8", "{\"n\":\"café\"}", StandardCharsets.UTF_8));
	}

	@Test
	void theCharsetIsReadFromTheHeaderNotFromTheRequestEncoding() {
		assertThat(fingerprinter.fingerprint(forcedToUtf8(request(LATIN_1_JSON)),
				"{\"n\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1)))
			.isNotEqualTo(fingerprinter.fingerprint(forcedToUtf8(request(LATIN_1_JSON)),
					"{\"n\":\"cafè\"}".getBytes(StandardCharsets.ISO_8859_1)));
	}

	@Test
	void bodiesThatAreNotValidUtf8AreHashedAsSent() {
		assertThat(fingerprint("application/json", "{\"n\":\"café\"}", StandardCharsets.ISO_8859_1))
			.isNotEqualTo(fingerprint("application/json", "{\"n\":\"cafè\"}", StandardCharsets.ISO_8859_1));
	}

	@Test
	void bodiesInAnUnknownCharsetAreHashedAsSent() {
		String unknown = "application/json;charset=x-no-such-charset";
		assertThat(fingerprint(unknown, "{\"a\":1, \"b\":2}")).isNotEqualTo(fingerprint(unknown, "{\"b\":2,\"a\":1}"));
	}

	@Test
	void aBodyHashedAsSentNeverSharesAFingerprintWithACanonicalBody() {
		// The same bytes: canonical JSON as UTF-8, but not decodable as the ASCII
		// declared.
		String json = "{\"n\":\"café\"}";
		assertThat(fingerprint("application/json;charset=US-ASCII", json))
			.isNotEqualTo(fingerprint("application/json", json));
	}

	@Test
	void bodiesAreHashedAsSentWhenCanonicalJsonIsOff() {
		Sha256RequestFingerprinter raw = new Sha256RequestFingerprinter(false);
		assertThat(raw.fingerprint(request("application/json"), bytes("{\"a\":1,\"b\":2}")))
			.isNotEqualTo(raw.fingerprint(request("application/json"), bytes("{\"b\":2,\"a\":1}")));
	}

	@Test
	void theSameBytesInTwoDeclaredCharsetsAreTwoRequestsWhenHashedAsSent() {
		Sha256RequestFingerprinter raw = new Sha256RequestFingerprinter(false);
		byte[] body = "{\"n\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		assertThat(raw.fingerprint(request(LATIN_1_JSON), body))
			.isNotEqualTo(raw.fingerprint(request("application/json;charset=windows-1252"), body));
	}

	@Test
	void theSameBytesUnderTwoMediaTypesAreTwoRequests() {
		assertThat(fingerprint("text/plain", "a=1")).isNotEqualTo(fingerprint("application/octet-stream", "a=1"));
	}

	@Test
	void theSpellingOfTheMediaTypeDoesNotMatter() {
		assertThat(fingerprint("Application/JSON", "{\"a\":1}"))
			.isEqualTo(fingerprint("application/json", "{\"a\":1}"));
		assertThat(fingerprint("text/plain; charset=UTF-8", "x"))
			.isEqualTo(fingerprint("text/plain;charset=utf-8", "x"));
	}

	private String fingerprint(String contentType, String body) {
		return fingerprint(contentType, body, StandardCharsets.UTF_8);
	}

	private String fingerprint(String contentType, String body, Charset charset) {
		return fingerprinter.fingerprint(request(contentType), body.getBytes(charset));
	}

	private static MockHttpServletRequest request(String contentType) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/payments");
		request.setContentType(contentType);
		return request;
	}

	/**
	 * What Spring Boot's CharacterEncodingFilter does to every request: the container
	 * then reports UTF-8 whatever the Content-Type header says.
	 */
	private static HttpServletRequest forcedToUtf8(HttpServletRequest request) {
		return new HttpServletRequestWrapper(request) {

			@Override
			public String getCharacterEncoding() {
				return "UTF-8";
			}

		};
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

}
