package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.HandOver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous acquisition: {@link BlockingAcquisition}'s steps (and, with {@code
 * handOver(true)}, its hand-over) with every wait a timer on the engine's scheduler, never a parked
 * thread, and every store call bounded by a timer (then it fails closed, or opens with {@code
 * failOpen()}). Store replies are looked at on the store client's I/O thread only to send the next
 * command or arm a timer; what logs, reports events or runs the caller's code (lease, refusal,
 * failure, the caller's stage) runs on the engine's async executor, one hop away.
 *
 * <p>Completing or cancelling the caller's stage abandons the acquisition: the timer is cancelled,
 * the waiter leaves the local queue (the last one closes the subscription) and the store's, and an
 * ACQUIRE still in flight that succeeds later is released at once, so nothing is left behind.
 *
 * <p>Thread-safety: thread-safe; the state below is guarded by {@code this}, and nothing outside
 * this object (store, queue, listeners, the caller's stage) is called while holding that lock.
 */
final class AsyncAcquisition implements LocalWaiters.Waiter {

  /**
   * What every asynchronous acquisition of a manager uses: the store, the wait queues, what a lease
   * needs, the shared decision step, the scheduler for re-checks, and the executor where callers'
   * stages complete.
   */
  record Parts(
      StoreGateway store,
      WaitQueues queues,
      LeaseImpl.Parts leases,
      Outcomes outcomes,
      ScheduledExecutorService scheduler,
      Executor executor) {}

  private final Parts parts;
  private final LockConfig config;
  private final String owner;
  private final long startedNanos = System.nanoTime();
  private final long deadlineNanos;
  private final CompletableFuture<@Nullable Lease> result = new CompletableFuture<>();

  private boolean finished;
  private boolean attemptInFlight;
  private boolean wokenUp;
  private @Nullable HandOver handOver;
  private @Nullable ScheduledFuture<?> recheck;
  private @Nullable LocalWaiters waiters;

  /** The key's waiters whose subscription was in place before the first attempt was sent. */
  private final @Nullable LocalWaiters listeningBefore;

  private AsyncAcquisition(Parts parts, LockConfig config, String owner) {
    this.parts = parts;
    this.config = config;
    this.owner = owner;
    this.deadlineNanos = startedNanos + config.waitTimeout().toNanos();
    this.listeningBefore =
        config.waitTimeout().isZero() ? null : parts.queues().listening(config.storeKey());
  }

  /** Starts acquiring; the stage completes with the lease, null when skipped, or the failure. */
  static CompletableFuture<@Nullable Lease> start(Parts parts, LockConfig config, String owner) {
    AsyncAcquisition acquisition = new AsyncAcquisition(parts, config, owner);
    // the caller completed or cancelled its stage: abandon the acquisition
    acquisition.result.whenComplete(
        (lease, error) -> {
          if (acquisition.finish()) {
            acquisition.leaveQueue();
          }
        });
    acquisition.attempt(); // sends one command; nothing here waits
    return acquisition.result;
  }

  private void attempt() {
    HandOver received;
    synchronized (this) {
      if (finished) {
        return;
      }
      received = handOver;
      handOver = null;
      attemptInFlight = true;
      wokenUp = false;
      cancelRecheck();
    }
    if (received == null) {
      send();
    } else {
      // decided on the executor, right before the lease is made there: the hop must not eat the
      // time the hand-over is proven for
      onExecutor(() -> useOrClaim(received));
    }
  }

  private void send() {
    parts
        .store()
        .acquireAsync(config, owner, BlockingAcquisition.millisLeft(deadlineNanos))
        .whenComplete(this::replied);
  }

  /** On the executor: the hand-over becomes the lease, or the ACQUIRE sent now claims it. */
  private void useOrClaim(HandOver received) {
    Attempt handed = Attempt.handedOver(received);
    if (handed == null) {
      send();
    } else if (finish()) {
      complete(() -> LeaseImpl.grant(parts.leases(), config, owner, handed, startedNanos));
    } else {
      parts.store().giveBack(config, owner);
    }
  }

  private void replied(@Nullable Attempt attempt, @Nullable Throwable error) {
    if (error != null || attempt == null) {
      Throwable cause = error == null ? new NullPointerException("no reply") : error;
      failed(() -> parts.store().failure(config, cause));
      return;
    }
    AcquireResult reply = attempt.result();
    if (reply.acquired()) {
      granted(attempt);
      return;
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (config.waitTimeout().isZero() || remaining <= 0) {
      blocked();
      return;
    }
    boolean subscribe = false;
    boolean again = false;
    boolean abandoned;
    synchronized (this) {
      abandoned = finished;
      if (!abandoned) {
        attemptInFlight = false;
        subscribe = waiters == null;
        if (!subscribe) {
          again = againNowOrLater(reply, remaining);
        }
      }
    }
    if (abandoned) {
      leaveQueue(); // its caller is gone, and this reply may have queued it again
    } else if (subscribe) {
      subscribeThenAttempt(reply, remaining);
    } else if (again) {
      attempt();
    }
  }

  /**
   * Guarded by this: true to attempt again at once (a wake-up came meanwhile, or the scheduler shut
   * down); else a re-check is armed. A lost notification costs at most the holder's remaining ttl
   * (queued in the store: the time within which the entry must be refreshed).
   */
  private boolean againNowOrLater(AcquireResult refused, long remaining) {
    long ttlLeft = TimeUnit.MILLISECONDS.toNanos(refused.remainingMillis() + 1);
    return wokenUp || !scheduleRecheck(Math.min(remaining, ttlLeft));
  }

  /** Guarded by this; false if the scheduler has shut down (then the caller retries at once). */
  private boolean scheduleRecheck(long nanos) {
    try {
      recheck = parts.scheduler().schedule(this::attempt, nanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException shutDown) {
      return false;
    }
  }

  private void subscribeThenAttempt(AcquireResult refused, long remaining) {
    LocalWaiters joined = parts.queues().join(config.storeKey(), this);
    // nothing can have been missed since the attempt was sent: it waits first
    boolean heard = !parts.queues().mayHaveMissed(joined, listeningBefore);
    boolean abandoned;
    boolean now = false;
    synchronized (this) {
      abandoned = finished;
      if (!abandoned) {
        waiters = joined;
        if (heard) {
          now = againNowOrLater(refused, remaining);
        }
      }
    }
    if (abandoned) {
      parts.queues().leave(config.storeKey(), joined, this);
      return;
    }
    if (heard) {
      if (now) {
        attempt();
      }
      return;
    }
    // The first attempt after subscribing: a release between the refusal and the subscription
    // would otherwise be missed until the holder's ttl.
    parts
        .store()
        .bounded(joined.subscription())
        .whenComplete(
            (subscription, error) -> {
              if (error != null) {
                failed(() -> parts.store().failure(config, NoAnswer.unwrap(error)));
              } else {
                attempt();
              }
            });
  }

  /**
   * A release notification for the key. Called while the queue's lock is held, so it only records
   * the wake-up and hands the next attempt to the scheduler.
   */
  @Override
  public void wake() {
    boolean parked;
    synchronized (this) {
      if (finished) {
        return;
      }
      wokenUp = true;
      parked = !attemptInFlight && recheck != null && recheck.cancel(false);
      if (parked) {
        recheck = null;
      }
    }
    if (parked) {
      // Not inline: this runs under the queue's lock, and an attempt whose reply is already there
      // continues into finish() -> leave(), which takes the engine's map lock, while a joining
      // caller holds that map lock and waits for the queue's lock (a deadlock seen under load).
      soon(this::attempt);
    }
  }

  /** The key was handed to this acquisition: recorded, then used by the attempt it wakes. */
  @Override
  public void handedOver(HandOver handOver) {
    synchronized (this) {
      this.handOver = handOver;
    }
    wake();
  }

  /** On the engine's scheduler; at once if it shut down (then the attempt fails at its bound). */
  private void soon(Runnable task) {
    try {
      parts.scheduler().execute(task);
    } catch (RejectedExecutionException shutDown) {
      task.run();
    }
  }

  /** Fails the caller's stage: without the scheduler, no re-check and no timeout would come. */
  @Override
  public void managerClosed() {
    if (finish()) {
      leaveQueue();
      String why =
          "LockManager was closed while waiting for key '"
              + config.key()
              + "': nothing was acquired";
      onExecutor(() -> result.completeExceptionally(new IllegalStateException(why)));
    }
  }

  @Override
  public String owner() {
    return owner;
  }

  /** Ended without the key: a place this acquisition holds in the store's queue is given up. */
  private void leaveQueue() {
    if (!config.waitTimeout().isZero()) {
      parts.store().leaveQueue(config, owner);
    }
  }

  @Override
  public synchronized boolean hasUnusedWakeUp() {
    return wokenUp;
  }

  /** Marks this acquisition done and leaves the queue; false if it already was done. */
  private boolean finish() {
    LocalWaiters joined;
    synchronized (this) {
      if (finished) {
        return false;
      }
      finished = true;
      cancelRecheck();
      joined = waiters;
      waiters = null;
    }
    if (joined != null) {
      parts.queues().leave(config.storeKey(), joined, this);
    }
    return true;
  }

  private void cancelRecheck() {
    ScheduledFuture<?> pending = recheck;
    if (pending != null) {
      pending.cancel(false);
      recheck = null;
    }
  }

  private void granted(Attempt attempt) {
    if (!finish()) {
      parts.store().giveBack(config, owner);
      return;
    }
    settle(() -> LeaseImpl.grant(parts.leases(), config, owner, attempt, startedNanos));
  }

  private void blocked() {
    if (finish()) {
      leaveQueue();
      settle(() -> parts.outcomes().busy(config, startedNanos));
    }
  }

  /** {@code why} logs (an outage, a refusal), so it is built on the executor too. */
  private void failed(Supplier<LockUnavailableException> why) {
    if (finish()) {
      leaveQueue();
      settle(() -> parts.outcomes().failClosedOrOpen(config, startedNanos, why.get()));
    }
  }

  /**
   * On the executor: completes the caller's stage with the outcome's lease (null: skipped) or what
   * it threw (the refusal, the failure, a manager closed meanwhile); a lease the caller no longer
   * wants (it cancelled meanwhile) is released.
   */
  private void settle(Supplier<@Nullable Lease> outcome) {
    onExecutor(() -> complete(outcome));
  }

  private void complete(Supplier<@Nullable Lease> outcome) {
    Lease lease;
    try {
      lease = outcome.get();
    } catch (RuntimeException refusedOrFailed) {
      result.completeExceptionally(refusedOrFailed);
      return;
    }
    if (!result.complete(lease) && lease != null) {
      lease.closeAsync(); // nobody else would close it
    }
  }

  private void onExecutor(Runnable terminal) {
    parts.executor().execute(terminal);
  }
}
