package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockListener;
import java.time.Duration;
import java.util.List;

/**
 * A manager's immutable settings.
 *
 * <p>Thread-safety: immutable.
 */
public record ManagerSettings(String keyPrefix, Duration defaultTtl, Duration unavailableTimeout,
    Duration fencingRetention, List<LockListener> listeners) {

  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_UNAVAILABLE_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_FENCING_RETENTION = Duration.ofMinutes(10);
}
