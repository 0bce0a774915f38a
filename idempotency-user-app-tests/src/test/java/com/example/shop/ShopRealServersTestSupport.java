package com.example.shop;

import java.util.UUID;

import dev.idempotency.testservers.JdbcServer;
import dev.idempotency.testservers.TestServers;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Runs the shop on a random port against real PostgreSQL and Redis ({@link TestServers}:
 * the environment, else Testcontainers, else embedded). The starter's table and Redis
 * keys get names of this module's own, so other modules' tests running at the same time
 * on the same servers never see them. Each class closes its application when done: every
 * one holds a connection pool on the shared PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "idempotency.jdbc.table-name=userapp_idempotency_keys",
				"idempotency.redis.key-prefix=" + ShopRealServersTestSupport.KEY_PREFIX })
@DirtiesContext
abstract class ShopRealServersTestSupport {

	/** Prefix of the starter's Redis keys in these tests. */
	static final String KEY_PREFIX = "userapp-idempotency:";

	@LocalServerPort
	private int port;

	@Autowired
	protected OrderRepository orders;

	@Autowired
	protected ReportRepository reports;

	protected ShopClient alice;

	protected ShopClient bob;

	@DynamicPropertySource
	static void realServers(DynamicPropertyRegistry registry) {
		JdbcServer postgres = TestServers.postgres();
		registry.add("spring.datasource.url", postgres::jdbcUrl);
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
		registry.add("spring.data.redis.url", TestServers::redisUrl);
	}

	@BeforeEach
	void createClients() {
		alice = new ShopClient(port, "alice", "alice-pw");
		bob = new ShopClient(port, "bob", "bob-pw");
	}

	protected static String newKey() {
		return UUID.randomUUID().toString();
	}

	/** An item name no other test uses, so counting its orders counts executions. */
	protected static String newItem() {
		return "item-" + UUID.randomUUID();
	}

	protected static String order(String item, int quantity) {
		return "{\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
	}

}
