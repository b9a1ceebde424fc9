package dev.concurrencysafe.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A manager's one daemon thread for renewals, timers and summary lines.
 *
 * <p>Thread-safety: the executor is thread-safe.
 */
final class RenewalThread {

  private RenewalThread() {}

  static ScheduledThreadPoolExecutor start() {
    ScheduledThreadPoolExecutor renewals =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "concurrency-safe-renewal");
              thread.setDaemon(true);
              return thread;
            });
    // a closed lease's renewal must leave the queue at once, not linger until ttl/3
    renewals.setRemoveOnCancelPolicy(true);
    // A no-op task that is always due within a second stays at the head of the queue, so that a
    // lease's first renewal (ttl/3 away, 3.3 s by default) never becomes the new head: scheduling
    // it then does not wake the renewal thread, and cancelling it at release does not either. That
    // wake-up (a futex call and a context switch per acquisition) was a measurable part of the
    // client CPU per lock cycle.
    renewals.scheduleWithFixedDelay(() -> {}, 1, 1, TimeUnit.SECONDS);
    return renewals;
  }
}
