package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import java.time.Duration;
import java.util.List;

/**
 * A manager's immutable settings.
 *
 * @param instrumentations in registration order (listeners wrapped by {@link
 *     Instrumentations#of(LockListener)})
 * @param repeatedLogInterval per key name, the first refusal (or run without the lock, or failed
 *     release) of an interval is logged and the rest summed up in one line; zero logs every one
 *
 * <p>Thread-safety: immutable.
 */
public record ManagerSettings(String keyPrefix, Duration defaultTtl, Duration unavailableTimeout,
    Duration fencingRetention, List<LockInstrumentation> instrumentations,
    Duration repeatedLogInterval) {

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_UNAVAILABLE_TIMEOUT = Duration.ofSeconds(3);
  /**
   * Zero: a key's fencing counter lives only while its lock does (and while it is ahead of the
   * server clock), so a released key leaves nothing in Redis; tokens stay strictly increasing under
   * a server clock that does not step back.
   */
  public static final Duration DEFAULT_FENCING_RETENTION = Duration.ZERO;
  /** How often a repeated line (a refusal, a run without the lock) is written per key name. */
  public static final Duration DEFAULT_REPEATED_LOG_INTERVAL = Duration.ofSeconds(10);

  /** Settings with the default repeated-log interval. */
  public ManagerSettings(String keyPrefix, Duration defaultTtl, Duration unavailableTimeout,
      Duration fencingRetention, List<LockListener> listeners) {
    this(keyPrefix, defaultTtl, unavailableTimeout, fencingRetention,
        listeners.stream().map(Instrumentations::of).toList(), DEFAULT_REPEATED_LOG_INTERVAL);
  }
}
