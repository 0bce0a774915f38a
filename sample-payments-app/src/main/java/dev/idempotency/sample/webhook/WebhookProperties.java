package dev.idempotency.sample.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's webhook.
 */
@ConfigurationProperties("payments.webhooks")
public class WebhookProperties {

	/**
	 * Secret the gateway signs each event's body with (HMAC-SHA256).
	 */
	private String secret = "whsec_test_sample";

	public String getSecret() {
		return secret;
	}

	public void setSecret(String secret) {
		this.secret = secret;
	}

}
