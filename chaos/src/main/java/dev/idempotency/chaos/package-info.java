/**
 * Fault injection against the sample payments app: a retrying client, private servers to
 * break, and invariants checked against the database and the gateway's record.
 */
package dev.idempotency.chaos;
