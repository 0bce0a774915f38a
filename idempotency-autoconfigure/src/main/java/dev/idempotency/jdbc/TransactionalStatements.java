package dev.idempotency.jdbc;

/**
 * The statements a claim made inside the caller's transaction needs besides
 * {@link JdbcStatements}, with their named parameters: those of a claim, and
 * {@code lockSpace} and {@code lockKey} that name the key's transaction-scoped lock.
 *
 * @param claim takes the key's transaction-scoped lock without waiting and, if it got it,
 * inserts the row of a free key for {@code lockToken}, returning its
 * {@code fencing_token}; returns nothing when another transaction holds the lock or the
 * key has a row
 * @param lockKey takes the key's transaction-scoped lock without waiting (again, if this
 * transaction holds it already), returning whether it holds it
 * @param storeResponse stores the response and starts its retention if {@code lockToken}
 * holds the row, whatever its lock's expiry: the transaction's row lock has kept it
 */
record TransactionalStatements(String claim, String lockKey, String storeResponse) {
}
