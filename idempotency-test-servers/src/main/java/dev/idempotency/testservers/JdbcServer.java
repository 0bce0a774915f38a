package dev.idempotency.testservers;

/**
 * Where a database server listens and how to log in.
 *
 * @param jdbcUrl the JDBC URL
 * @param username the user
 * @param password the password
 */
public record JdbcServer(String jdbcUrl, String username, String password) {
}
