/**
 * The protocol, once, for every entry point: claim a key or wait for it, replay or run,
 * keep the claim alive while the operation runs, then store its result or free the key.
 * No servlet or messaging types: the web adapter, the method interceptor and the
 * programmatic template all drive this engine.
 */
@NullMarked
package dev.idempotency.engine;

import org.jspecify.annotations.NullMarked;
