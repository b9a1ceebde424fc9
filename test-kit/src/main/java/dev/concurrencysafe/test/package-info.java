/**
 * The concurrency-safe test kit: {@link dev.concurrencysafe.test.RealRedisExtension} runs users'
 * tests against a real Redis server, and {@link dev.concurrencysafe.test.LockBackendContract} is
 * the suite a {@link dev.concurrencysafe.spi.LockBackend} must pass.
 */
@NullMarked
package dev.concurrencysafe.test;

import org.jspecify.annotations.NullMarked;
