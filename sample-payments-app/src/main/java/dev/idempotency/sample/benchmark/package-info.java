/**
 * Benchmark-only endpoints, off unless {@code payments.benchmark-endpoints.enabled=true}
 * (see {@code benchmarks/README.md}).
 */
@NullMarked
package dev.idempotency.sample.benchmark;

import org.jspecify.annotations.NullMarked;
