package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.Locks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Scenario 4: 10 callers wait for the same lock instead of being refused, each working 20 ms. Ours
 * wakes the next waiter through a Redis pub/sub message when the lock is released; the naive helper
 * re-tries every 100 ms. Printed: the hand-over gap between one holder's end and the next one's
 * start, in milliseconds.
 *
 * <p>Thread-safety: run from one thread.
 */
final class WaitingScenario {

  static final int CALLERS = 10;
  static final Duration WORK = Duration.ofMillis(20);
  static final Duration WAIT = Duration.ofSeconds(10);

  private WaitingScenario() {}

  static boolean run(DemoContext ctx) throws Exception {
    Report report = ctx.report();
    report.section(
        4,
        "Waiting instead of refusing: "
            + CALLERS
            + " callers, waitTimeout "
            + WAIT.toSeconds()
            + " s, "
            + WORK.toMillis()
            + " ms of work each");

    IntervalLog ours =
        serve(
            log ->
                Locks.with("demo:waiting")
                    .waitTimeout(WAIT)
                    .run(() -> log.inside("caller", () -> NaiveLockScenario.sleep(WORK))));
    NaiveLock naive = new NaiveLock(ctx.redis());
    String naiveKey = ctx.naiveKey("waiting");
    IntervalLog old =
        serve(
            log ->
                naive.run(
                    naiveKey,
                    Duration.ofSeconds(3),
                    WAIT,
                    () -> {
                      log.inside("caller", () -> NaiveLockScenario.sleep(WORK));
                      return null;
                    }));

    List<Double> ourGaps = gaps(ours);
    List<Double> oldGaps = gaps(old);
    report.line(
        "OURS hand-over gaps (ms): %s  median %s, total %s ms  (woken by Redis pub/sub)",
        format(ourGaps), Report.millis(median(ourGaps)), Report.millis(total(ours)));
    report.line(
        "OLD  hand-over gaps (ms): %s  median %s, total %s ms  (polls every %d ms, %d SETNX"
            + " sent)",
        format(oldGaps),
        Report.millis(median(oldGaps)),
        Report.millis(total(old)),
        NaiveLock.POLL_INTERVAL.toMillis(),
        naive.attempts());
    report.line("(ours: the first gap includes opening Redisson's pub/sub connection, done once)");

    checkClaims(report, ours, old, ourGaps, oldGaps);
    return report.sectionPassed();
  }

  private static void checkClaims(
      Report report,
      IntervalLog ours,
      IntervalLog old,
      List<Double> ourGaps,
      List<Double> oldGaps) {
    report.check(
        ours.sorted().size() == CALLERS && ours.overlaps().isEmpty(),
        "ours: all " + CALLERS + " served, one after another, none refused");
    report.check(
        old.overlaps().isEmpty() && old.sorted().size() == CALLERS,
        "old: also one after another, but with dead time between callers");
    report.check(
        median(ourGaps) < median(oldGaps),
        "ours hands over faster (median "
            + Report.millis(median(ourGaps))
            + " ms vs "
            + Report.millis(median(oldGaps))
            + " ms)");
  }

  @FunctionalInterface
  private interface Caller {
    void call(IntervalLog log) throws Exception;
  }

  /** Starts all callers at once and waits for them; every caller must be served. */
  private static IntervalLog serve(Caller caller) throws Exception {
    IntervalLog log = new IntervalLog();
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  caller.call(log);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
      return log;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Double> gaps(IntervalLog log) {
    List<IntervalLog.Interval> all = log.sorted();
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < all.size(); i++) {
      gaps.add(all.get(i).startMillis() - all.get(i - 1).endMillis());
    }
    return gaps;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
    return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
  }

  private static double total(IntervalLog log) {
    List<IntervalLog.Interval> all = log.sorted();
    return all.get(all.size() - 1).endMillis() - all.get(0).startMillis();
  }

  private static String format(List<Double> values) {
    return values.stream()
        .map(v -> String.format(java.util.Locale.ROOT, "%.1f", v))
        .collect(Collectors.joining(" "));
  }
}
