package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import java.time.Duration;
import java.util.List;

/**
 * A manager's immutable settings, as the builder collected them (its {@code DEFAULT_*} constants
 * are the defaults).
 *
 * @param instrumentations in registration order (listeners wrapped by {@link
 *     ListenerInstrumentation#of(LockListener)})
 * @param repeatedLogInterval per key name, the first refusal (or run without the lock, or failed
 *     release) of an interval is logged and the rest summed up in one line; zero logs every one
 *     <p>Thread-safety: immutable.
 */
public record ManagerSettings(
    String keyPrefix,
    Duration defaultTtl,
    Duration unavailableTimeout,
    Duration fencingRetention,
    List<LockInstrumentation> instrumentations,
    Duration repeatedLogInterval) {}
