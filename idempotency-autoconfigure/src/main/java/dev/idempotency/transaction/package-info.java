/**
 * Transactional mode on Spring's transaction management: the transaction that an
 * operation's claim, writes and result commit in.
 */
@NullMarked
package dev.idempotency.transaction;

import org.jspecify.annotations.NullMarked;
