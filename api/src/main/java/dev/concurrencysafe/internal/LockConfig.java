package dev.concurrencysafe.internal;

import java.time.Duration;
import java.util.function.Function;

/**
 * One call's immutable snapshot of a {@link SpecImpl}, taken by its verb.
 *
 * <p>Thread-safety: immutable.
 *
 * @param key the key without the manager prefix
 * @param storeKey the key the backend sees: the manager prefix + key
 * @param keyName what the key is called in logs and metrics: the catalog constant or the pattern,
 *     never the formatted key (bounded cardinality, no personal data)
 * @param skipLogLevel the level of the line a skip-when-busy verb writes when the key is held
 * @param skipWhenBusy whether a key still held after the wait skips the body (null lease) rather
 *     than failing the call with the refusal
 * @param trace this call's observations: every event of the call goes there
 */
record LockConfig(
    String key,
    String storeKey,
    String keyName,
    Duration ttl,
    Duration waitTimeout,
    Duration cooldown,
    Function<String, ? extends RuntimeException> onBlocked,
    String blockedMessage,
    System.Logger.Level blockedLogLevel,
    System.Logger.Level skipLogLevel,
    boolean failOpen,
    boolean skipWhenBusy,
    CallTrace trace) {}
