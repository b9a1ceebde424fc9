package dev.concurrencysafe.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs the asynchronous rows with tiny counts against a real redis-server so they cannot rot: every
 * row is measured for both contenders and no two bodies overlap. Numbers are not asserted.
 */
class AsyncHarnessTest {

  @Test
  void everyRowIsMeasuredForBothContendersWithoutOverlap() throws Exception {
    try (Fixture fixture = Fixture.start()) {
      AsyncHarness.Report report =
          new AsyncHarness(fixture.client(), fixture.locks(), 50, 1, 5)
              .run(fixture.server().serverVersion());
      assertEquals(50, report.ours().count());
      assertEquals(50, report.rlock().count());
      assertEquals(50, report.rtt().count());
      assertEquals(16 * 5 - 1, report.oursGap().count(), "every hand-over after the first");
      assertEquals(16 * 5 - 1, report.rlockGap().count());
      assertEquals(0, report.overlaps(), "two holders at once");
      String md = report.markdown();
      assertTrue(
          md.contains("| uncontended cycle:") && md.contains("| hand-over gap, 16 async"), md);
    }
  }
}
