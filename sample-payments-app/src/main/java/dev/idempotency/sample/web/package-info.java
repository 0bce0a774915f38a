/**
 * Problem details for every error, with stable type URIs.
 */
@NullMarked
package dev.idempotency.sample.web;

import org.jspecify.annotations.NullMarked;
