package dev.concurrencysafe.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The harness's own arithmetic and its overlap detector, without Redis. */
class HarnessTest {

  private static final BenchSettings FOUR_THREADS =
      new BenchSettings(
          true,
          1,
          1,
          1,
          4,
          Duration.ofMillis(200),
          Duration.ofMillis(200),
          1,
          1,
          1,
          0,
          1,
          Duration.ofMillis(1),
          1,
          Duration.ofMillis(1),
          Duration.ofMillis(1),
          1);

  @Test
  void percentilesAreNearestRank() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = (100 - i) * 1000L;
    }
    Distribution d = Distribution.of(nanos, 100);
    assertEquals(50.0, d.p50Micros());
    assertEquals(99.0, d.p99Micros());
    assertEquals(100.0, d.maxMicros());
    assertEquals(50.5, d.meanMicros(), 1e-9);
    assertEquals(0, Distribution.of(nanos, 0).percentileNanos(50));
  }

  @Test
  void detectorReportsOverlapsWhenThereIsNoLock() throws Exception {
    ContentionHarness.Outcome unlocked =
        new ContentionHarness(FOUR_THREADS)
            .measure(
                body -> {
                  body.run();
                  return true;
                },
                false);
    assertTrue(unlocked.overlaps() > 0, "four threads without a lock must overlap");
  }

  @Test
  void detectorSeesNoOverlapUnderARealLockAndMeasuresGaps() throws Exception {
    // fair: a releasing thread cannot barge back in while others wait, so hand-overs happen even
    // when a loaded machine runs the four threads one at a time
    ReentrantLock lock = new ReentrantLock(true);
    ContentionHarness.Outcome locked =
        new ContentionHarness(FOUR_THREADS)
            .measure(
                body -> {
                  lock.lock();
                  try {
                    body.run();
                  } finally {
                    lock.unlock();
                  }
                  return true;
                },
                false);
    assertEquals(0, locked.overlaps());
    assertTrue(locked.handovers() > 10);
    assertEquals(locked.handovers(), locked.gaps().count());
    // a hand-over under a fair in-process lock takes time (unlock, wake-up), far less than 50 ms
    // even on a loaded machine: a gap measured from the wrong timestamps, in the wrong unit or
    // with the sign reversed falls outside
    long p50 = locked.gaps().percentileNanos(50);
    assertTrue(p50 > 0 && p50 < 50_000_000, "hand-over gap p50 " + p50 + " ns");
  }

  @Test
  void monitorLinesYieldTheCommandName() {
    assertEquals(
        "evalsha",
        CommandCounter.commandName(
            "+1700000000.123456 [0 127.0.0.1:5000] \"EVALSHA\" \"abc\" \"2\""));
    assertEquals("set", CommandCounter.commandName("+1700000000.1 [0 lua] \"set\" \"{k}\" \"o\""));
    assertEquals("", CommandCounter.commandName("+OK"));
  }
}
