package dev.idempotency.engine;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import dev.idempotency.IdempotencyKey;
import dev.idempotency.IdempotencyListener;
import dev.idempotency.IdempotencyStore;
import dev.idempotency.jdbc.JdbcIdempotencyStore;
import dev.idempotency.redis.RedisIdempotencyStore;
import dev.idempotency.redis.RedisStoreConnections;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A process that claims one key and runs forever, renewing its lock, until it is killed.
 * Started by {@link KilledLeaseOwnerRealServersTests}.
 */
public final class LeaseOwnerProcess {

	static final Duration LOCK = Duration.ofSeconds(1);

	private LeaseOwnerProcess() {
	}

	/**
	 * Claims the key, prints {@code CLAIMED <fencing token>} and waits to be killed.
	 * @param args {@code redis <url> <client key>} or
	 * {@code jdbc <url> <user> <password> <table> <client key>}
	 * @throws InterruptedException never in practice
	 */
	public static void main(String[] args) throws InterruptedException {
		IdempotencyStore store = store(args);
		LeaseKeeper leases = new LeaseKeeper(store, IdempotencyListener.NONE);
		IdempotencyEngine engine = new IdempotencyEngine(store, IdempotencyListener.NONE, leases);
		Claim claim = engine.claim(operation(args[args.length - 1]));
		System.out.println("CLAIMED " + ((Claim.Run) claim).operation().fencingToken());
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

	static IdempotentOperation operation(String clientKey) {
		return new IdempotentOperation(new IdempotencyKey("tenant", "POST /slow", clientKey), "fp", "slow",
				new OperationPolicy(LOCK, Duration.ofHours(1), false, Duration.ZERO));
	}

	static RedisIdempotencyStore redisStore(LettuceConnectionFactory connectionFactory) {
		RedisIdempotencyStore store = new RedisIdempotencyStore(connectionFactory);
		store.setKeyPrefix("test:lease:");
		return store;
	}

	private static IdempotencyStore store(String[] args) {
		if (args[0].equals("redis")) {
			LettuceConnectionFactory connectionFactory = RedisStoreConnections.forUrl(args[1], Duration.ofSeconds(2));
			connectionFactory.start();
			return redisStore(connectionFactory);
		}
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(args[1]);
		dataSource.setUsername(args[2]);
		dataSource.setPassword(args[3]);
		return new JdbcIdempotencyStore(dataSource, args[4]);
	}

}
