package dev.concurrencysafe;

import java.time.Duration;

/**
 * What a lock call is about, given to {@link LockInstrumentation#start}.
 *
 * <p>{@link #keyName()} is safe for span names, metric tags and dashboards (the catalog constant,
 * the {@link LockKey} pattern, or {@code "(literal)"}); {@link #key()} is the formatted key, which
 * may hold user ids: record it only where the user opted in.
 *
 * <p>Thread-safety: immutable.
 *
 * @param key the formatted key, without the manager's prefix
 * @param keyName the catalog constant, the LockKey pattern, or {@code "(literal)"}
 * @param verb how the caller asked: {@code run}, {@code call}, {@code tryRun}, {@code tryCall},
 *     {@code acquire}, {@code tryAcquire}, {@code callAsync}, {@code acquireAsync}, ... (the {@link
 *     LockSpec} or Kotlin verb's name; {@code intercept} for {@code @ConcurrencySafe})
 * @param skipWhenBusy true when a busy key skips the body rather than failing the call
 * @param ttl the lease's ttl
 * @param waitTimeout how long the call may wait for a busy key
 * @param cooldown how long the key stays held after acquisition (zero: none)
 */
public record LockCall(
    String key,
    String keyName,
    String verb,
    boolean skipWhenBusy,
    Duration ttl,
    Duration waitTimeout,
    Duration cooldown) {}
