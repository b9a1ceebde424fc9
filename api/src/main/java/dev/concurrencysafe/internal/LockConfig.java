package dev.concurrencysafe.internal;

import java.time.Duration;
import java.util.function.Function;

/**
 * The immutable snapshot of a {@link SpecImpl} taken by a terminal verb.
 *
 * <p>Thread-safety: immutable.
 *
 * @param key the key without the manager prefix
 * @param storeKey the key the backend sees: the manager prefix + key
 * @param keyName what the key is called in logs and metrics: the catalog constant or the pattern,
 *     never the formatted key (bounded cardinality, no personal data)
 * @param skipLogLevel the level of the line a skip-when-busy verb writes when the key is held
 */
record LockConfig(String key, String storeKey, String keyName, Duration ttl, Duration waitTimeout, Duration cooldown,
    Function<String, ? extends RuntimeException> onBlocked, String blockedMessage,
    System.Logger.Level blockedLogLevel, System.Logger.Level skipLogLevel, boolean failOpen) {}
