/**
 * The payment gateway's webhook: signed events, each processed once however often the
 * gateway delivers it.
 */
@NullMarked
package dev.idempotency.sample.webhook;

import org.jspecify.annotations.NullMarked;
