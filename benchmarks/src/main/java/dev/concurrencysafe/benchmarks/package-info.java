/**
 * The benchmark harness: one command ({@link dev.concurrencysafe.benchmarks.BenchmarkMain}) that
 * launches a real redis-server, measures concurrency-safe against raw Redisson RLock, a hand-rolled
 * SET NX / DEL lock with 100 ms polling and the bare round trip, and writes docs/benchmarks.md,
 * docs/benchmarks.json and docs/benchmarks-handover.svg.
 */
@NullMarked
package dev.concurrencysafe.benchmarks;

import org.jspecify.annotations.NullMarked;
