package dev.concurrencysafe.examples.demo;

import dev.concurrencysafe.examples.plain.CacheKey;
import dev.concurrencysafe.examples.plain.InterestedProductRefresher;
import dev.concurrencysafe.examples.plain.RefreshTooSoonException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scenario 2: a refresh may run at most once per interval per user. The demo uses a 1-second
 * interval instead of the production 10 minutes. The naive helper's version is run too: its {@code
 * finally} deletes the key as soon as the body ends, so it never limits anything.
 *
 * <p>Thread-safety: run from one thread.
 */
final class CooldownScenario {

  static final Duration INTERVAL = Duration.ofSeconds(1);

  private CooldownScenario() {}

  static boolean run(DemoContext ctx) throws Exception {
    Report report = ctx.report();
    report.section(2, "Refresh at most once per interval with cooldown");
    report.line(
        "interval shortened to %d ms for the demo (production: %d minutes); key %s",
        INTERVAL.toMillis(),
        InterestedProductRefresher.INTERVAL.toMinutes(),
        CacheKey.DODO_REFRESH_INTERESTED_PRODUCT.pattern());

    List<String> refreshed = new CopyOnWriteArrayList<>();
    InterestedProductRefresher refresher = new InterestedProductRefresher(INTERVAL, refreshed::add);
    String user = "user-1";
    long start = System.nanoTime();

    boolean first = attempt(report, refresher, user, start, "refresh #1");
    boolean second = attempt(report, refresher, user, start, "refresh #2 (right after #1 ended)");
    long secondAt = elapsedMillis(start);
    Thread.sleep(INTERVAL.toMillis() + 50); // let the interval pass: that is what is shown
    boolean third = attempt(report, refresher, user, start, "refresh #3 (after the interval)");

    NaiveLock naive = new NaiveLock(ctx.redis());
    String naiveKey = ctx.naiveKey("refresh:" + user);
    int naiveRuns = 0;
    for (int i = 0; i < 2; i++) {
      try {
        naiveRuns += naive.run(naiveKey, INTERVAL, Duration.ZERO, () -> 1);
      } catch (NaiveLock.Blocked refused) {
        // the naive helper would refuse here if its key outlived the body; it does not
      }
    }
    report.line(
        "OLD naive helper (ttl = interval): %d of 2 back-to-back refreshes ran; its finally"
            + " deleted the key as soon as the body ended",
        naiveRuns);

    report.check(
        first && !second && third && refreshed.size() == 2,
        "ours: ran, refused within the interval, ran again after it");
    report.check(
        secondAt < INTERVAL.toMillis(),
        "the refusal came inside the interval (" + secondAt + " ms)");
    report.check(naiveRuns == 2, "the naive helper's version ran twice: it cannot rate-limit");
    return report.sectionPassed();
  }

  private static boolean attempt(
      Report report, InterestedProductRefresher refresher, String user, long start, String label) {
    try {
      refresher.refresh(user);
      report.line("t=%5d ms  %-36s ran", elapsedMillis(start), label);
      return true;
    } catch (RefreshTooSoonException e) {
      report.line("t=%5d ms  %-36s refused: %s", elapsedMillis(start), label, e.getMessage());
      return false;
    }
  }

  private static long elapsedMillis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
