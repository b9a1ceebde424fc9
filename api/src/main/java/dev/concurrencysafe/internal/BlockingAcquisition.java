package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockUnavailableException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Acquisition on the caller's thread, the sibling of {@link AsyncAcquisition} with the same steps:
 * one ACQUIRE through the {@link StoreGateway} (fail fast); with a wait timeout, the local waiter
 * queue and its release subscription, then ACQUIRE again when a release notification wakes the
 * thread or the holder's remaining ttl passes, until the deadline. A granted key becomes a {@link
 * LeaseImpl}; {@link Outcomes} decides how it ends otherwise (skipped, refused, failed closed or
 * open).
 *
 * <p>With a backend that hands over ({@code handOver(true)}): every ACQUIRE sends the wait left, so
 * the store queues the caller; the release hands the key to the first queued waiter and tells that
 * waiter alone, which starts at once when the hand-over is confirmed ({@link Attempt#handedOver})
 * and otherwise claims it with its next ACQUIRE; a refusal's re-check time is the store's beat,
 * which keeps the place; a waiter that ends without the key leaves the store's queue.
 *
 * <p>Thread-safety: thread-safe; each call's state is on its own stack.
 */
final class BlockingAcquisition {

  private final StoreGateway store;
  private final WaitQueues queues;
  private final LeaseImpl.Parts leaseParts;
  private final Outcomes outcomes;

  BlockingAcquisition(
      StoreGateway store, WaitQueues queues, LeaseImpl.Parts leaseParts, Outcomes outcomes) {
    this.store = store;
    this.queues = queues;
    this.leaseParts = leaseParts;
    this.outcomes = outcomes;
  }

  /** The lease; null when a skip-when-busy call found the key held; else the refusal is thrown. */
  @Nullable Lease acquire(LockConfig config, String owner) {
    long started = System.nanoTime();
    long deadline = started + config.waitTimeout().toNanos();
    Attempt attempt;
    boolean waits = !config.waitTimeout().isZero();
    try {
      LocalWaiters listening = waits ? queues.listening(config.storeKey()) : null;
      attempt = store.acquire(config, owner, millisLeft(deadline));
      if (!attempt.result().acquired() && waits) {
        attempt = awaitRelease(config, owner, deadline, attempt, listening);
      }
    } catch (LockUnavailableException e) {
      return outcomes.failClosedOrOpen(config, started, e);
    } catch (InterruptedException e) {
      // The caller is being cancelled: neither a refusal nor a skip, and not the store's fault.
      Thread.currentThread().interrupt();
      throw outcomes.interrupted(config);
    }
    if (attempt.result().acquired()) {
      return LeaseImpl.grant(leaseParts, config, owner, attempt, started);
    }
    return outcomes.busy(config, started);
  }

  /**
   * Waits after the {@code refused} first attempt. It asks again at once once subscribed if a
   * release may have been missed meanwhile ({@link WaitQueues#mayHaveMissed}), else waits first.
   */
  private Attempt awaitRelease(
      LockConfig config,
      String owner,
      long deadline,
      Attempt refused,
      @Nullable LocalWaiters listening)
      throws InterruptedException {
    String fullKey = config.storeKey();
    ParkedWaiter wakeUp = new ParkedWaiter(owner);
    LocalWaiters waiters = queues.join(fullKey, wakeUp);
    boolean acquired = false;
    try {
      boolean ask = queues.mayHaveMissed(waiters, listening);
      if (ask) {
        store.await(waiters.subscription(), config);
      }
      Attempt attempt = refused;
      while (true) {
        if (ask) {
          Attempt handed = Attempt.handedOver(wakeUp.takeHandOver());
          if (handed != null) {
            acquired = true;
            return handed;
          }
          wakeUp.forgetWakeUps();
          attempt = store.acquire(config, owner, millisLeft(deadline));
          acquired = attempt.result().acquired();
          if (acquired || deadline - System.nanoTime() <= 0) {
            return attempt;
          }
        }
        ask = true;
        // A lost notification costs at most the holder's remaining ttl (or, queued in the store,
        // the time within which the entry must be refreshed): re-check by then.
        long recheck = TimeUnit.MILLISECONDS.toNanos(attempt.result().remainingMillis() + 1);
        wakeUp.park(Math.max(0, Math.min(deadline - System.nanoTime(), recheck)));
      }
    } finally {
      queues.leave(fullKey, waiters, wakeUp);
      if (!acquired) {
        store.leaveQueue(config, owner);
      }
    }
  }

  /** The wait left in whole milliseconds, 0 once the deadline passed: what the store may queue. */
  static long millisLeft(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
