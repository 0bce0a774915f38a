package dev.idempotency.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;

class PrincipalScopeResolverTests {

	private static final String API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

	private final PrincipalScopeResolver resolver = new PrincipalScopeResolver();

	@Test
	void keepsAnApiKeyNamedPrincipalOutOfTheScope() {
		String scope = scopeOf(new UsernamePasswordAuthenticationToken(API_KEY, null, List.of()));
		assertThat(scope).doesNotContain(API_KEY).matches("principal:[0-9a-f]{64}");
	}

	@Test
	void givesTheSamePrincipalTheSameScope() {
		assertThat(scopeOf(new UsernamePasswordAuthenticationToken("alice", null, List.of())))
			.isEqualTo(scopeOf(new UsernamePasswordAuthenticationToken("alice", "other", List.of())))
			.isNotEqualTo(scopeOf(new UsernamePasswordAuthenticationToken("bob", null, List.of())));
	}

	@Test
	void givesTheSameSubjectFromTwoIssuersTwoScopes() {
		String first = scopeOf(new JwtAuthenticationToken(jwt("https://issuer-a.example", "user-1")));
		String second = scopeOf(new JwtAuthenticationToken(jwt("https://issuer-b.example", "user-1")));
		assertThat(first).isNotEqualTo(second);
		assertThat(first).isEqualTo(scopeOf(new JwtAuthenticationToken(jwt("https://issuer-a.example", "user-1"))));
	}

	@Test
	void keepsTheIssuerAndSubjectApart() {
		assertThat(scopeOf(new JwtAuthenticationToken(jwt("https://a.example/x", "y"))))
			.isNotEqualTo(scopeOf(new JwtAuthenticationToken(jwt("https://a.example/", "xy"))));
	}

	@Test
	void keepsATokenSubjectApartFromAUserOfTheSameName() {
		assertThat(scopeOf(new JwtAuthenticationToken(jwt("https://issuer-a.example", "alice"))))
			.isNotEqualTo(scopeOf(new UsernamePasswordAuthenticationToken("alice", null, List.of())));
	}

	@Test
	void scopesIntrospectedBearerTokensByIssuerToo() {
		assertThat(scopeOf(bearer("https://issuer-a.example", "user-1")))
			.isNotEqualTo(scopeOf(bearer("https://issuer-b.example", "user-1")))
			.isEqualTo(scopeOf(new JwtAuthenticationToken(jwt("https://issuer-a.example", "user-1"))));
	}

	@Test
	void sharesTheAnonymousScopeWithoutAPrincipal() {
		assertThat(resolver.resolveScope(new MockHttpServletRequest())).isEqualTo(PrincipalScopeResolver.ANONYMOUS);
	}

	private String scopeOf(Authentication authentication) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/payments");
		request.setUserPrincipal(authentication);
		return resolver.resolveScope(request);
	}

	private static Jwt jwt(String issuer, String subject) {
		return Jwt.withTokenValue("token")
			.header("alg", "RS256")
			.issuer(issuer)
			.subject(subject)
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60))
			.build();
	}

	private static BearerTokenAuthentication bearer(String issuer, String subject) {
		DefaultOAuth2AuthenticatedPrincipal principal = new DefaultOAuth2AuthenticatedPrincipal(subject,
				Map.of("iss", issuer, "sub", subject), List.of());
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "token", Instant.now(),
				Instant.now().plusSeconds(60));
		return new BearerTokenAuthentication(principal, token, List.of());
	}

}
