package dev.concurrencysafe.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * How a duplicate is refused: the exception, its message, one log line per key per interval with
 * exact counts in the summary, and the events listeners see.
 *
 * <p>Part of {@link LockBackendContract} (one link of its chain of test groups), run over the
 * backend under test.
 *
 * <p>Thread-safety: JUnit runs one test per instance; the tests start their own threads.
 */
abstract class RefusalTests extends ExclusionTests {

  /** A catalog, so that refusals have a key name. */
  enum StormKey implements dev.concurrencysafe.LockKey {
    PURCHASE;

    @Override
    public String pattern() {
      return "storm:{userId}";
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(10);
    }
  }

  @Test
  void aDuplicateStormLogsTheFirstRefusalPerIntervalAndSumsUpTheRestWithExactCounts() {
    List<LockEvent> blocked = new java.util.concurrent.CopyOnWriteArrayList<>();
    Duration interval = Duration.ofMillis(700);
    LockManager storm =
        newEngine(
            builder ->
                builder
                    .listener(
                        event -> {
                          if (event.type() == LockEvent.Type.BLOCKED) {
                            blocked.add(event);
                          }
                        })
                    .repeatedLogInterval(interval));
    int duplicates = 300;
    try (LogCapture log = LogCapture.library();
        Lease held = newEngine().with(StormKey.PURCHASE, 7).acquire()) {
      long started = System.nanoTime();
      for (int i = 0; i < duplicates; i++) {
        assertThrows(
            ConcurrencyException.class,
            () -> storm.with(StormKey.PURCHASE, 7).run(() -> fail("a duplicate must not run")));
      }
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String summary = "[concurrency-safe] ... and ";
      // every window that counted more than its first refusal ends with one summary line
      Await.until(
          "the last interval's summary",
          Duration.ofSeconds(10),
          () -> {
            List<String> lines = log.messages(Level.WARNING);
            return !lines.isEmpty() && lines.get(lines.size() - 1).startsWith(summary);
          });
      List<String> lines = log.messages(Level.WARNING);
      long full = lines.stream().filter(line -> !line.startsWith(summary)).count();
      long counted = countRefusals(lines, summary);
      assertEquals(duplicates, counted, "every refusal is in a line or a summary: " + lines);
      long windows = elapsedMillis / interval.toMillis() + 2;
      assertTrue(
          full <= windows && lines.size() <= 2 * windows,
          lines.size()
              + " lines for "
              + duplicates
              + " refusals in "
              + elapsedMillis
              + " ms: "
              + lines);
      assertEquals(duplicates, blocked.size(), "listeners see every refusal");
      assertTrue(held.isValid());
    }
  }

  /** The refusals the lines account for: one per full line, a summary's count per summary. */
  private static long countRefusals(List<String> lines, String summary) {
    long counted = 0;
    for (String line : lines) {
      if (line.startsWith(summary)) {
        assertTrue(
            line.matches(
                "\\[concurrency-safe\\] \\.\\.\\. and [0-9,]+ more refusals of"
                    + " StormKey\\.PURCHASE in the last 700 ms"),
            line);
        counted += Long.parseLong(line.substring(summary.length()).split(" ")[0].replace(",", ""));
      } else {
        assertEquals("[concurrency-safe] blocked: key=storm:7 is held elsewhere", line);
        counted++;
      }
    }
    return counted;
  }

  @Test
  void aZeroRepeatedLogIntervalLogsEveryRefusal() {
    LockManager storm = newEngine(builder -> builder.repeatedLogInterval(Duration.ZERO));
    try (LogCapture log = LogCapture.library();
        Lease held = newEngine().with(StormKey.PURCHASE, 8).acquire()) {
      for (int i = 0; i < 5; i++) {
        assertThrows(
            ConcurrencyException.class,
            () -> storm.with(StormKey.PURCHASE, 8).run(() -> fail("a duplicate must not run")));
      }
      assertEquals(5, log.messages(Level.WARNING).size(), log.allMessages().toString());
    }
  }

  @Test
  void duplicateFailsFastWithTheDefaultExceptionAndOneLogLine() {
    LockManager first = newEngine();
    LockManager second = newEngine();
    try (LogCapture log = LogCapture.library();
        Lease held = first.with("pay:7").acquire()) {
      ConcurrencyException refused =
          assertThrows(
              ConcurrencyException.class,
              () -> second.with("pay:7").run(() -> fail("a duplicate must not run")));
      assertEquals("Please try again in a moment.", refused.getMessage());
      assertEquals("pay:7", refused.key());
      List<String> warnings = log.messages(Level.WARNING);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("pay:7"), warnings.get(0));
      assertTrue(held.isValid());
    }
  }

  @Test
  void onBlockedBuildsTheExceptionFromTheBlockedMessageAtTheChosenLevel() {
    LockManager locks = newEngine();
    LockManager other = newEngine();
    try (LogCapture log = LogCapture.library();
        Lease held = locks.with("refresh:3").acquire()) {
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () ->
                  other
                      .with("refresh:3")
                      .blockedMessage("try again later")
                      .blockedLogLevel(System.Logger.Level.INFO)
                      .onBlocked(IllegalStateException::new)
                      .run(() -> fail("must not run")));
      assertEquals("try again later", refused.getMessage());
      assertEquals(
          1, log.messages(Level.INFO).stream().filter(m -> m.contains("refresh:3")).count());
      assertEquals(0, log.messages(Level.WARNING).size());
    }
  }

  @Test
  void listenersSeeEachOutcomeInOrderAndAThrowingListenerBreaksNothing() {
    List<LockEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    LockListener throwing =
        event -> {
          throw new IllegalStateException("listener bug");
        };
    LockManager locks = newEngine(Duration.ofSeconds(3), throwing, seen::add);
    LockManager other = newEngine();
    try (LogCapture log = LogCapture.library()) {
      locks.with("ev").run(() -> {});
      try (Lease held = other.with("ev").acquire()) {
        assertThrows(ConcurrencyException.class, () -> locks.with("ev").run(() -> fail()));
      }
      locks.with("ev").cooldown(Duration.ofSeconds(30)).run(() -> {});
      assertTrue(
          log.messages(Level.WARNING).stream().anyMatch(m -> m.contains("listener")),
          "a failing listener is logged");
    }
    assertEquals(
        List.of(
            LockEvent.Type.ACQUIRED,
            LockEvent.Type.RELEASED,
            LockEvent.Type.BLOCKED,
            LockEvent.Type.ACQUIRED,
            LockEvent.Type.RELEASED,
            LockEvent.Type.COOLDOWN_STARTED),
        seen.stream().map(LockEvent::type).toList());
    assertTrue(
        seen.stream().allMatch(e -> e.key().equals("ev") && e.keyName().equals("(literal)")));
    assertTrue(seen.get(0).fencingToken() > 0);
    assertEquals(seen.get(0).fencingToken(), seen.get(1).fencingToken());
    assertTrue(seen.get(5).duration().toMillis() > 29_000, seen.get(5).toString());

    store().renewals = ControllableBackend.Renewals.LOST;
    locks
        .with("ev2")
        .ttl(Duration.ofMillis(30))
        .run(
            () ->
                Await.until(
                    "lease lost event",
                    Duration.ofSeconds(5),
                    () -> seen.stream().anyMatch(e -> e.type() == LockEvent.Type.LEASE_LOST)));
  }
}
