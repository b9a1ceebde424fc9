package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.examples.plain.CacheKey;
import dev.concurrencysafe.micrometer.LockMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The demo's closing section: what {@link LockMetrics} recorded on every manager the demo used (the
 * CDI extension's and the plain-Java application's), one row per key name, and whether those counts
 * agree with what the scenarios themselves counted. Everything printed is read back from the {@link
 * MeterRegistry}, as a dashboard would.
 *
 * <p>Thread-safety: run from one thread, after the scenarios' managers were closed.
 */
final class MetricsSummary {

  /** The client-side percentiles published on the wait and held timers. */
  static final double[] PERCENTILES = {0.5, 0.99};

  static final String LITERAL = "(literal)";

  private MetricsSummary() {}

  /** What the scenarios did, per key name: their own tallies, so a lost event shows as a FAIL. */
  private record Expected(
      String keyName, int acquired, int blocked, int cooldowns, int maxLeaseLost, String because) {}

  private static List<Expected> expected() {
    int duplicates =
        DuplicateRewardsScenario.USERS * (DuplicateRewardsScenario.REQUESTS_PER_USER - 1);
    return List.of(
        new Expected(
            keyName(CacheKey.MISSION_USER_GIVE_REWARD_LOCK),
            DuplicateRewardsScenario.USERS,
            duplicates,
            0,
            0,
            "scenario 1 (the CDI extension's manager)"),
        // refresh #1 ran, #2 was refused, #3 ran; both runs left their key for the cooldown
        new Expected(keyName(CacheKey.DODO_REFRESH_INTERESTED_PRODUCT), 2, 1, 2, 0, "scenario 2"),
        // 3(a): A in, B refused; 3(b): A and B in, C refused; 4: every caller served after waiting.
        // 3(b) expires A's key under it: a renewal may notice that (one lease lost) before A's
        // release does, depending on timing.
        new Expected(LITERAL, 1 + 2 + WaitingScenario.CALLERS, 1 + 1, 0, 1, "scenarios 3 and 4"));
  }

  /** How {@code LockEvent.keyName()} names a catalog constant. */
  static String keyName(Enum<?> constant) {
    return constant.getDeclaringClass().getSimpleName() + "." + constant.name();
  }

  /** Prints the table and the claims; returns whether every claim held. */
  static boolean print(Report report, MeterRegistry registry) {
    report.heading(
        "Metrics summary: Micrometer meters from LockMetrics, registered on both managers"
            + " (SimpleMeterRegistry; tag key = catalog constant or \""
            + LITERAL
            + "\", never the"
            + " formatted key)");
    Set<String> keyNames =
        registry.find(LockMetrics.ATTEMPTS).counters().stream()
            .map(counter -> counter.getId().getTag(LockMetrics.KEY_TAG))
            .collect(Collectors.toCollection(TreeSet::new));
    report.line(
        row(
            "%-42s %8s %7s %11s %10s %9s   %-17s %-17s %s",
            "key",
            "acquired",
            "blocked",
            "unavailable",
            "lease-lost",
            "cooldowns",
            "wait p50/p99",
            "wait p50/p99",
            "held p50/p99"));
    report.line(
        row(
            "%-42s %8s %7s %11s %10s %9s   %-17s %-17s %s",
            "", "", "", "", "", "", "(acquired)", "(blocked)", ""));
    for (String keyName : keyNames) {
      report.line(
          row(
              "%-42s %8d %7d %11d %10d %9d   %-17s %-17s %s",
              keyName,
              attempts(registry, keyName, "acquired"),
              attempts(registry, keyName, "blocked"),
              attempts(registry, keyName, "unavailable"),
              count(registry, LockMetrics.LEASE_LOST, keyName),
              count(registry, LockMetrics.COOLDOWNS, keyName),
              percentiles(timer(registry, LockMetrics.WAIT, keyName, "acquired")),
              percentiles(timer(registry, LockMetrics.WAIT, keyName, "blocked")),
              percentiles(timer(registry, LockMetrics.HELD, keyName, null))));
    }
    report.line(
        "(ms; wait = from the call to the lock or to the refusal, held = from acquisition"
            + " to release; Micrometer's client-side percentiles are approximate)");

    for (Expected e : expected()) {
      checkAgrees(report, registry, e);
    }
    Set<String> expectedNames =
        expected().stream().map(Expected::keyName).collect(Collectors.toCollection(TreeSet::new));
    report.check(
        keyNames.equals(expectedNames),
        "the key tags are exactly " + expectedNames + ": no formatted key, no user id");
    return report.sectionPassed();
  }

  /** The meters of {@code e}'s key name agree with what its scenario did. */
  private static void checkAgrees(Report report, MeterRegistry registry, Expected e) {
    long acquired = attempts(registry, e.keyName(), "acquired");
    long blocked = attempts(registry, e.keyName(), "blocked");
    long unavailable = attempts(registry, e.keyName(), "unavailable");
    long cooldowns = count(registry, LockMetrics.COOLDOWNS, e.keyName());
    long leaseLost = count(registry, LockMetrics.LEASE_LOST, e.keyName());
    Timer held = timer(registry, LockMetrics.HELD, e.keyName(), null);
    long released = held == null ? 0 : held.count();
    report.check(
        acquired == e.acquired()
            && blocked == e.blocked()
            && unavailable == 0
            && cooldowns == e.cooldowns()
            && released == acquired
            && leaseLost <= e.maxLeaseLost(),
        String.format(
            Locale.ROOT,
            "%s agrees with %s: %d acquired, %d blocked, %d cooldowns,"
                + " every lease released (%d)",
            e.keyName(),
            e.because(),
            e.acquired(),
            e.blocked(),
            e.cooldowns(),
            released));
  }

  /** A table row without the padding of its last column. */
  private static String row(String format, Object... values) {
    return String.format(Locale.ROOT, format, values).stripTrailing();
  }

  private static long attempts(MeterRegistry registry, String keyName, String outcome) {
    Counter counter =
        registry
            .find(LockMetrics.ATTEMPTS)
            .tags(LockMetrics.KEY_TAG, keyName, LockMetrics.OUTCOME_TAG, outcome)
            .counter();
    return counter == null ? 0 : Math.round(counter.count());
  }

  private static long count(MeterRegistry registry, String name, String keyName) {
    Counter counter = registry.find(name).tags(LockMetrics.KEY_TAG, keyName).counter();
    return counter == null ? 0 : Math.round(counter.count());
  }

  private static @Nullable Timer timer(
      MeterRegistry registry, String name, String keyName, @Nullable String outcome) {
    var search = registry.find(name).tags(LockMetrics.KEY_TAG, keyName);
    return (outcome == null ? search : search.tag(LockMetrics.OUTCOME_TAG, outcome)).timer();
  }

  /** "p50/p99" in milliseconds, or "-" when the timer recorded nothing. */
  private static String percentiles(@Nullable Timer timer) {
    if (timer == null || timer.count() == 0) {
      return "-";
    }
    ValueAtPercentile[] values = timer.takeSnapshot().percentileValues();
    if (values.length == 0) {
      return "(no percentiles)";
    }
    StringBuilder text = new StringBuilder();
    for (ValueAtPercentile value : values) {
      text.append(text.length() == 0 ? "" : "/")
          .append(Report.millis(value.value(TimeUnit.MILLISECONDS)));
    }
    return text.toString();
  }
}
