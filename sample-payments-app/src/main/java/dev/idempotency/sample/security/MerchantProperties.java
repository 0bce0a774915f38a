package dev.idempotency.sample.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The merchants allowed to call the API.
 */
@ConfigurationProperties("payments")
public class MerchantProperties {

	/**
	 * Merchants and their API keys.
	 */
	private List<Merchant> merchants = new ArrayList<>();

	public List<Merchant> getMerchants() {
		return merchants;
	}

	public void setMerchants(List<Merchant> merchants) {
		this.merchants = merchants;
	}

}
