package dev.concurrencysafe.examples.quarkus;

import static dev.concurrencysafe.cdi.ConcurrencySafe.OnBusy.SKIP;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * A scheduled job that runs once per interval across every node of the application: each node's
 * scheduler fires it every second (Quarkus's simple scheduler checks its triggers once a second),
 * the lock's cooldown keeps the key held for 2 s after a run began, and the other firings, on this
 * node or any other, skip quietly ({@code onBusy = SKIP}: a DEBUG line and a {@code SKIPPED} event,
 * no exception, no WARNING). ShedLock's {@code lockAtLeastFor}, with a real scheduler (Quarkus's
 * {@code @Scheduled}); the firing rate and the interval are the operator's ({@code digest.every},
 * {@code .../DigestJob/send/ConcurrencySafe/cooldown}).
 *
 * <p>Thread-safety: thread-safe (the scheduler calls it from its own threads).
 */
@ApplicationScoped
public class DigestJob {

  private final List<Long> runStartedNanos = new ArrayList<>();

  /** Sends the digest; the body runs at most once per cooldown, cluster-wide. */
  @Scheduled(every = "${digest.every:1s}", identity = "digest")
  @ConcurrencySafe(key = "job:digest", cooldown = "2s", onBusy = SKIP)
  public void send() {
    synchronized (this) {
      runStartedNanos.add(System.nanoTime());
    }
    // the digest itself would be built and sent here
  }

  /** When each run began ({@link System#nanoTime()}), in order. */
  public synchronized List<Long> runs() {
    return List.copyOf(runStartedNanos);
  }
}
