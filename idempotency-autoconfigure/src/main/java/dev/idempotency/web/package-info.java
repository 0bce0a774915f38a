/**
 * The Spring MVC side: the filter that makes bodies replayable and capturable, the
 * interceptor that claims keys, replays and rejects, and their helpers.
 */
@NullMarked
package dev.idempotency.web;

import org.jspecify.annotations.NullMarked;
