/**
 * The log lines on-call engineers search for, with the key masked and the outcome as
 * structured key-value pairs.
 */
@NullMarked
package dev.idempotency.log;

import org.jspecify.annotations.NullMarked;
