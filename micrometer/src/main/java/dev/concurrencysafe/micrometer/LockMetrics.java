package dev.concurrencysafe.micrometer;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Records {@link LockEvent}s as Micrometer meters. Register it on the manager:
 *
 * <pre>{@code
 * LockManager locks = LockManager.builder()
 *     .listener(new LockMetrics(meterRegistry))
 *     .redisson(client);
 * }</pre>
 *
 * <p>Meters (every one tagged {@code key} = {@link LockEvent#keyName()}: the catalog constant such
 * as {@code CacheKey.PURCHASE}, the pattern of a non-enum {@code LockKey}, or {@code "(literal)"};
 * never the formatted key, so user ids neither multiply the series nor reach the metrics backend):
 *
 * <ul>
 *   <li>{@value #ATTEMPTS} counter, tag {@code outcome} = {@code acquired}, {@code blocked}, {@code
 *       skipped} (a skip-when-busy verb found the key held and did not run) or {@code unavailable};
 *       their sum is all attempts.
 *   <li>{@value #WAIT} timer, tag {@code outcome} = {@code acquired}, {@code blocked} or {@code
 *       skipped}: the time from the call to the lock (or to the refusal, or the skip).
 *   <li>{@value #HELD} timer: the time from acquisition to release.
 *   <li>{@value #LEASE_LOST} counter: renewals that found the lock expired or taken while the body
 *       still ran.
 *   <li>{@value #COOLDOWNS} counter: releases that left the key held for a cooldown.
 * </ul>
 *
 * <p>All meters of a key name are registered together at its first event (so an alert on lease-lost
 * has a zero series to compare with) and cached by key name: recording an event is one map lookup
 * and one meter update, with no builder, tag list or id allocated.
 *
 * <p>Thread-safety: thread-safe; meant to be called concurrently from callers' threads and the
 * renewal thread.
 */
public final class LockMetrics implements LockListener {

  /** Counter of lock attempts by outcome. */
  public static final String ATTEMPTS = "concurrencysafe.lock.attempts";

  /** Timer of the wait before acquisition or refusal, by outcome. */
  public static final String WAIT = "concurrencysafe.lock.wait";

  /** Timer of how long locks were held. */
  public static final String HELD = "concurrencysafe.lock.held";

  /** Counter of leases lost while their body ran. */
  public static final String LEASE_LOST = "concurrencysafe.lock.lease.lost";

  /** Counter of cooldowns started at release. */
  public static final String COOLDOWNS = "concurrencysafe.lock.cooldowns";

  /** The tag holding {@link LockEvent#keyName()}. */
  public static final String KEY_TAG = "key";

  /** The tag holding the attempt's outcome. */
  public static final String OUTCOME_TAG = "outcome";

  private final MeterRegistry registry;
  private final Tags commonTags;
  // Bounded by the number of catalog constants, patterns and "(literal)": keyName is never a
  // formatted key, so this map cannot grow with user ids.
  private final ConcurrentMap<String, KeyMeters> byKeyName = new ConcurrentHashMap<>();

  /** Records into {@code registry}. */
  public LockMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * Records into {@code registry}, adding {@code extraTags} (for example the manager's name when an
   * application has several) to every meter.
   *
   * @throws IllegalArgumentException if an extra tag is named {@value #KEY_TAG} or {@value
   *     #OUTCOME_TAG}, which this class sets itself
   */
  public LockMetrics(MeterRegistry registry, Iterable<Tag> extraTags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.commonTags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
    for (Tag tag : commonTags) {
      if (tag.getKey().equals(KEY_TAG) || tag.getKey().equals(OUTCOME_TAG)) {
        throw new IllegalArgumentException(
            "extraTags: the tag '"
                + tag.getKey()
                + "' (value '"
                + tag.getValue()
                + "') is set by LockMetrics on every meter; use another name, such as"
                + " 'manager'");
      }
    }
  }

  @Override
  public void onEvent(LockEvent event) {
    KeyMeters meters = byKeyName.get(event.keyName());
    if (meters == null) {
      // first event of this key name; get() first keeps the hot path free of bin locks
      meters = byKeyName.computeIfAbsent(event.keyName(), this::register);
    }
    long nanos = event.duration().toNanos();
    switch (event.type()) {
      case ACQUIRED -> {
        meters.acquired.increment();
        meters.waitAcquired.record(nanos, TimeUnit.NANOSECONDS);
      }
      case BLOCKED -> {
        meters.blocked.increment();
        meters.waitBlocked.record(nanos, TimeUnit.NANOSECONDS);
      }
      case SKIPPED -> {
        meters.skipped.increment();
        meters.waitSkipped.record(nanos, TimeUnit.NANOSECONDS);
      }
      case UNAVAILABLE -> meters.unavailable.increment();
      case LEASE_LOST -> meters.leaseLost.increment();
      case RELEASED -> meters.held.record(nanos, TimeUnit.NANOSECONDS);
      case COOLDOWN_STARTED -> meters.cooldowns.increment();
      case RENEWAL_FAILED -> {
        // not a meter of its own: a renewal that keeps failing ends in LEASE_LOST, which is
        // counted, and the store's outage shows in the unavailable outcome of the next calls
      }
      default -> {
        // an event type added after this version: nothing to record yet
      }
    }
  }

  private KeyMeters register(String keyName) {
    Tags key = commonTags.and(KEY_TAG, keyName);
    return new KeyMeters(
        attempts(key, "acquired"),
        attempts(key, "blocked"),
        attempts(key, "skipped"),
        attempts(key, "unavailable"),
        wait(key, "acquired"),
        wait(key, "blocked"),
        wait(key, "skipped"),
        Timer.builder(HELD)
            .description("How long locks were held, from acquisition to release")
            .tags(key)
            .register(registry),
        Counter.builder(LEASE_LOST)
            .description("Leases found expired or taken by a renewal while their body still ran")
            .tags(key)
            .register(registry),
        Counter.builder(COOLDOWNS)
            .description("Releases that kept the key held for a cooldown")
            .tags(key)
            .register(registry));
  }

  private Counter attempts(Tags key, String outcome) {
    return Counter.builder(ATTEMPTS)
        .description(
            "Lock attempts by outcome: acquired, blocked (held elsewhere: refused),"
                + " skipped (held elsewhere: a skip-when-busy call did not run) or unavailable (store"
                + " unreachable)")
        .tags(key)
        .tag(OUTCOME_TAG, outcome)
        .register(registry);
  }

  private Timer wait(Tags key, String outcome) {
    return Timer.builder(WAIT)
        .description(
            "Time from the lock call to acquisition (acquired), refusal (blocked) or skip"
                + " (skipped)")
        .tags(key)
        .tag(OUTCOME_TAG, outcome)
        .register(registry);
  }

  /**
   * A filter publishing these client-side percentiles (for example {@code 0.5, 0.99}) on the
   * {@value #WAIT} and {@value #HELD} timers only; add it to the registry before the first event:
   * {@code registry.config().meterFilter(LockMetrics.percentiles(0.5, 0.99))}. For Prometheus-style
   * aggregation across instances prefer server-side histograms ({@code
   * Timer.Builder#publishPercentileHistogram}) through your framework's settings.
   *
   * @throws IllegalArgumentException if no percentile is given or one is outside [0, 1]
   */
  public static MeterFilter percentiles(double... percentiles) {
    Objects.requireNonNull(percentiles, "percentiles");
    if (percentiles.length == 0) {
      throw new IllegalArgumentException(
          "percentiles: expected at least one value in [0, 1]," + " e.g. 0.5, 0.99");
    }
    for (double p : percentiles) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException(
            "percentiles: "
                + p
                + " is outside [0, 1]; expected"
                + " fractions such as 0.5 or 0.99");
      }
    }
    double[] copy = percentiles.clone();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(WAIT) && !id.getName().equals(HELD)) {
          return config;
        }
        return DistributionStatisticConfig.builder().percentiles(copy).build().merge(config);
      }
    };
  }

  @Override
  public String toString() {
    return "LockMetrics["
        + registry.getClass().getSimpleName()
        + ", keys="
        + byKeyName.keySet()
        + "]";
  }

  /** The meters of one key name, registered once. */
  private record KeyMeters(
      Counter acquired,
      Counter blocked,
      Counter skipped,
      Counter unavailable,
      Timer waitAcquired,
      Timer waitBlocked,
      Timer waitSkipped,
      Timer held,
      Counter leaseLost,
      Counter cooldowns) {}
}
