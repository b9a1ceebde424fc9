package dev.concurrencysafe.examples.cdi;

import static dev.concurrencysafe.cdi.ConcurrencySafe.OnBusy.SKIP;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job that every node's scheduler fires (Jakarta Concurrency's {@code
 * ManagedScheduledExecutorService}, Helidon's {@code @Scheduling.FixedRate}, Quarkus'
 * {@code @Scheduled}, or a plain {@code ScheduledExecutorService}) and that runs on one node per
 * interval: the {@code cooldown} keeps the key for the interval, {@code onBusy = SKIP} turns every
 * other firing into a quiet "did not run" (DEBUG line, {@code SKIPPED} event) instead of an
 * exception. Redis unreachable is not a skip: the call fails closed with {@code
 * LockUnavailableException}, which the scheduler logs.
 *
 * <p>Thread-safety: thread-safe; the counter is for the example's test.
 */
@ApplicationScoped
public class NightlyDigest {

  private final AtomicInteger sent = new AtomicInteger();

  /** Sends the digest, unless any node sent it less than 10 minutes ago (or is sending it now). */
  @ConcurrencySafe(key = "job:nightly-digest", cooldown = "10m", onBusy = SKIP)
  public void send() {
    sent.incrementAndGet(); // compose and mail the digest here
  }

  /** Digests this node sent. */
  public int sent() {
    return sent.get();
  }
}
