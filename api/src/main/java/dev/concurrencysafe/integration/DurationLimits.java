package dev.concurrencysafe.integration;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The durations the core accepts (ttl, wait, cooldown, timeouts), with uniform messages: "{name}
 * must be {expectation}, but was {value}". One place for the limits, used by the core's builders
 * and by integrations that validate configuration before it reaches them (the CDI extension at
 * deployment). Accepted values come back rounded up to whole milliseconds, the unit of Redis
 * expiries, so that a 500 µs cooldown is 1 ms rather than silently none.
 *
 * <p>Thread-safety: stateless.
 */
public final class DurationLimits {

  /** The largest duration accepted anywhere. */
  public static final Duration MAX = Duration.ofDays(365);

  private DurationLimits() {}

  /** {@code value} (rounded up to whole ms) if it is > 0 and at most {@link #MAX}. */
  public static Duration positive(@Nullable Duration value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return atMostMax(value, name);
  }

  /** {@code value} (rounded up to whole ms) if it is >= 0 and at most {@link #MAX}. */
  public static Duration notNegative(@Nullable Duration value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
    return atMostMax(value, name);
  }

  /**
   * A ttl: at least 1 ms (a shorter one would be no lock at all) and at most {@link #MAX}, rounded
   * up to whole ms.
   */
  public static Duration ttl(@Nullable Duration value, String name) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    Duration rounded = positive(value, name);
    if (value.toMillis() < 1) { // judged before rounding: 500 µs is no lock, not a 1 ms one
      throw new IllegalArgumentException(name + " must be >= 1ms, but was " + value);
    }
    return rounded;
  }

  private static Duration atMostMax(Duration value, String name) {
    if (value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(name + " must be <= 365 days, but was " + value);
    }
    return wholeMillis(value);
  }

  /** Rounds a non-negative value up; the common whole-millisecond value is returned as is. */
  private static Duration wholeMillis(Duration value) {
    int belowMillis = value.getNano() % 1_000_000;
    return belowMillis == 0 ? value : value.plusNanos(1_000_000 - belowMillis);
  }
}
