package dev.idempotency.redis;

import java.net.URI;
import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Lettuce connections for the Redis store with a short command and connect timeout, and
 * commands rejected at once while disconnected: an idempotency check must fail fast
 * rather than hold a request for the application's (often unset, so 60 s) timeout.
 */
public final class RedisStoreConnections {

	private RedisStoreConnections() {
	}

	/**
	 * A new connection factory to the application's Redis (standalone, sentinel or
	 * cluster, with its SSL, credentials and client resources) but with its own timeout.
	 * @param source the application's connection factory
	 * @param timeout the command and connect timeout
	 * @return a factory the caller starts and stops
	 */
	public static LettuceConnectionFactory withTimeout(LettuceConnectionFactory source, Duration timeout) {
		LettuceClientConfiguration original = source.getClientConfiguration();
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		if (original.isUseSsl()) {
			LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl = client.useSsl();
			if (!original.isVerifyPeer()) {
				ssl.disablePeerVerification();
			}
			if (original.isStartTls()) {
				ssl.startTls();
			}
			client = ssl.and();
		}
		original.getClientName().ifPresent(client::clientName);
		original.getReadFrom().ifPresent(client::readFrom);
		original.getClientResources().ifPresent(client::clientResources);
		original.getRedisCredentialsProviderFactory().ifPresent(client::redisCredentialsProviderFactory);
		RedisConfiguration configuration = source.isClusterAware() ? source.getClusterConfiguration()
				: source.isRedisSentinelAware() ? source.getSentinelConfiguration()
						: source.getStandaloneConfiguration();
		client.clientOptions(failFast(original.getClientOptions().orElse(null), source.isClusterAware(), timeout))
			.commandTimeout(timeout);
		return new LettuceConnectionFactory(configuration, client.build());
	}

	/**
	 * A new connection factory to a standalone Redis given by URL, such as
	 * {@code redis://127.0.0.1:6379/0}.
	 * @param url the URL
	 * @param timeout the command and connect timeout
	 * @return a factory the caller starts and stops
	 */
	public static LettuceConnectionFactory forUrl(String url, Duration timeout) {
		RedisURI uri = RedisURI.create(url);
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		configuration.setDatabase(uri.getDatabase());
		String userInfo = URI.create(url).getUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			if (colon > 0) {
				configuration.setUsername(userInfo.substring(0, colon));
			}
			configuration.setPassword(userInfo.substring(colon + 1));
		}
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		if (uri.isSsl()) {
			client = client.useSsl().and();
		}
		client.clientOptions(failFast(null, false, timeout)).commandTimeout(timeout);
		return new LettuceConnectionFactory(configuration, client.build());
	}

	private static ClientOptions failFast(@Nullable ClientOptions original, boolean cluster, Duration timeout) {
		SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).build();
		if (cluster) {
			ClusterClientOptions.Builder builder = (original instanceof ClusterClientOptions clusterOptions)
					? clusterOptions.mutate() : ClusterClientOptions.builder();
			return builder.socketOptions(socket)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build();
		}
		ClientOptions.Builder builder = (original != null) ? original.mutate() : ClientOptions.builder();
		return builder.socketOptions(socket)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build();
	}

}
