package dev.idempotency.sample.gateway;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the simulated gateway.
 */
@ConfigurationProperties("payments.gateway")
public class GatewayProperties {

	/**
	 * How long each gateway call takes, as a real gateway's round trip does.
	 */
	private Duration latency = Duration.ofMillis(150);

	/**
	 * Port of the simulated provider's HTTP server, on localhost; 0 for any free port.
	 */
	private int providerPort;

	/**
	 * Base URL of a provider running elsewhere, such as {@code http://localhost:9100} (a
	 * {@link SimulatedProviderMain} process): when set, the app calls it and starts no
	 * simulated provider of its own, so latency and provider port do not apply. For fault
	 * injection and tests, as a real provider's URL would be set in production.
	 */
	private @Nullable String providerUrl;

	public Duration getLatency() {
		return latency;
	}

	public void setLatency(Duration latency) {
		this.latency = latency;
	}

	public int getProviderPort() {
		return providerPort;
	}

	public void setProviderPort(int providerPort) {
		this.providerPort = providerPort;
	}

	public @Nullable String getProviderUrl() {
		return providerUrl;
	}

	public void setProviderUrl(@Nullable String providerUrl) {
		this.providerUrl = providerUrl;
	}

}
