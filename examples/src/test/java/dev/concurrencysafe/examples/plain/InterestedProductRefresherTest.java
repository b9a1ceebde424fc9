package dev.concurrencysafe.examples.plain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InterestedProductRefresherTest {

  @RegisterExtension static final RunningExample example = new RunningExample();

  @Test
  void refreshRunsAtMostOncePerIntervalEvenAfterTheBodyEnded() throws InterruptedException {
    Duration interval = Duration.ofMillis(400);
    List<String> refreshed = new CopyOnWriteArrayList<>();
    InterestedProductRefresher refresher = new InterestedProductRefresher(interval, refreshed::add);

    long start = System.nanoTime();
    refresher.refresh("user-1");
    // The first refresh has ended; the naive helper would have deleted its key here.
    RefreshTooSoonException tooSoon =
        assertThrows(RefreshTooSoonException.class, () -> refresher.refresh("user-1"));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals("try again later (possible 400 ms after the last refresh)", tooSoon.getMessage());
    assertEquals(
        true,
        elapsedMillis < interval.toMillis(),
        "the refused call must fall inside the interval, took " + elapsedMillis + " ms");
    refresher.refresh("user-2");

    Thread.sleep(interval.toMillis() + 100); // the interval itself is what is under test
    refresher.refresh("user-1");
    assertEquals(List.of("user-1", "user-2", "user-1"), refreshed);
  }

  @Test
  void theProductionMessageSaysTenMinutes() {
    assertEquals(
        "try again later (possible 10 minutes after the last refresh)",
        InterestedProductRefresher.tryAgainLaterMessage(InterestedProductRefresher.INTERVAL));
  }
}
