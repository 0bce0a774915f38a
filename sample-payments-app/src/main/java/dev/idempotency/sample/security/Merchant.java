package dev.idempotency.sample.security;

/**
 * A merchant: who calls the API, the owner of payments and the idempotency scope.
 *
 * @param id the merchant id, the authenticated principal's name
 * @param name the display name
 * @param apiKey the secret API key sent as {@code Authorization: Bearer <api key>}
 */
public record Merchant(String id, String name, String apiKey) {

	@Override
	public String toString() {
		return "Merchant[id=" + id + ", name=" + name + "]";
	}

}
