package dev.idempotency.sample.gateway;

import java.time.Duration;

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

}
