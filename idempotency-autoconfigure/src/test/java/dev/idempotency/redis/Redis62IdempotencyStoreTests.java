package dev.idempotency.redis;

import java.time.Duration;

import dev.idempotency.IdempotencyStore;
import dev.idempotency.store.IdempotencyStoreContractTests;
import dev.idempotency.testservers.OwnedRedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The store contract against Redis 6.2, the oldest version we support (the embedded
 * server's binary), whatever the environment's Redis is.
 */
class Redis62IdempotencyStoreTests extends IdempotencyStoreContractTests {

	private static OwnedRedisServer server;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startRedis62() {
		server = OwnedRedisServer.start();
		connectionFactory = RedisStoreConnections.forUrl(server.url(), Duration.ofSeconds(2));
		connectionFactory.start();
	}

	@AfterAll
	static void stopRedis62() {
		connectionFactory.destroy();
		server.close();
	}

	@Override
	protected IdempotencyStore createStore() {
		return new RedisIdempotencyStore(connectionFactory);
	}

}
