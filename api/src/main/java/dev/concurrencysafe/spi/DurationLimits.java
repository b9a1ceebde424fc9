package dev.concurrencysafe.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The durations the core accepts (ttl, wait, cooldown, timeouts), with uniform messages:
 * "{name} must be {expectation}, but was {value}". One place for the limits, used by the core's
 * builders and by integrations that validate configuration before it reaches them (the CDI
 * extension at deployment).
 *
 * <p>Thread-safety: stateless.
 */
public final class DurationLimits {

  /** The largest duration accepted anywhere. */
  public static final Duration MAX = Duration.ofDays(365);

  private DurationLimits() {}

  /** {@code value} if it is > 0 and at most {@link #MAX}. */
  public static Duration positive(@Nullable Duration value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return atMostMax(value, name);
  }

  /** {@code value} if it is >= 0 and at most {@link #MAX}. */
  public static Duration notNegative(@Nullable Duration value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
    return atMostMax(value, name);
  }

  /** A ttl: at least 1 ms (Redis expiries are whole milliseconds) and at most {@link #MAX}. */
  public static Duration ttl(@Nullable Duration value, String name) {
    positive(value, name);
    if (value.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be >= 1ms, but was " + value);
    }
    return value;
  }

  private static Duration atMostMax(Duration value, String name) {
    if (value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(name + " must be <= " + MAX + ", but was " + value);
    }
    return value;
  }
}
