package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.testing.Await;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Quarkus's scheduler fires {@link DigestJob#send} every second; with a 2 s cooldown and {@code
 * onBusy = SKIP} the body runs once per 2 s and the firings in between are skips, reported as
 * {@code SKIPPED} events, never as refusals.
 */
@QuarkusTest
@QuarkusTestResource(RedisResource.class)
class ScheduledJobTest {

  @Inject DigestJob job;

  @Inject RecordingListener listener;

  @Test
  void aJobFiredEverySecondRunsOncePerCooldownAndSkipsQuietlyInBetween() {
    int before = job.runs().size();
    long skipsBefore = listener.count(LockEvent.Type.SKIPPED, "job:digest");
    Await.until(
        "three more runs of the digest",
        Duration.ofSeconds(30),
        () -> job.runs().size() >= before + 3);
    List<Long> runs = job.runs();
    for (int i = Math.max(1, before); i < runs.size(); i++) {
      long gapMillis = TimeUnit.NANOSECONDS.toMillis(runs.get(i) - runs.get(i - 1));
      // the key is held for 2 s from each acquisition; Redis expires it to the millisecond
      assertTrue(gapMillis >= 1950, "two runs " + gapMillis + " ms apart within one interval");
    }
    long skips = listener.count(LockEvent.Type.SKIPPED, "job:digest") - skipsBefore;
    assertTrue(skips >= 2, "the scheduler fired in between and the firings skipped: " + skips);
    assertTrue(
        listener.count(LockEvent.Type.BLOCKED, "job:digest") == 0, "a skip is not a refusal");
  }
}
