/**
 * Spring Boot auto-configuration of the idempotency layer.
 */
@NullMarked
package dev.idempotency.autoconfigure;

import org.jspecify.annotations.NullMarked;
