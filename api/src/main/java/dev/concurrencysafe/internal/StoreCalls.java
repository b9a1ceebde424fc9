package dev.concurrencysafe.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the engine waits for the store: every answer within the unavailable timeout, an early
 * verdict when the store is found unreachable meanwhile, and the store's health updated by every
 * answer. The blocking path calls {@link #await}; the asynchronous path {@link #bounded}.
 *
 * <p>Thread-safety: thread-safe.
 */
final class StoreCalls {

  private final StoreHealth health;
  private final Outcomes outcomes;
  private final Duration bound;
  private final ScheduledExecutorService scheduler;

  StoreCalls(StoreHealth health, Outcomes outcomes, Duration bound,
      ScheduledExecutorService scheduler) {
    this.health = health;
    this.outcomes = outcomes;
    this.bound = bound;
    this.scheduler = scheduler;
  }

  /**
   * Waits for a backend stage within the unavailable timeout. An answer slower than {@link
   * StoreHealth#SUSPECT_AFTER} starts a probe, and the call fails closed as soon as the store is
   * found unreachable (by the probe or by another call) instead of waiting out the bound.
   */
  <T> T await(CompletionStage<T> stage, LockConfig config) throws InterruptedException {
    CompletableFuture<T> answer = stage.toCompletableFuture();
    long started = System.nanoTime();
    try {
      T value;
      try {
        value = answer.get(Math.min(StoreHealth.SUSPECT_AFTER.toNanos(), bound.toNanos()),
            TimeUnit.NANOSECONDS);
      } catch (TimeoutException slow) {
        long left = bound.toNanos() - (System.nanoTime() - started);
        CompletableFuture.anyOf(answer, health.suspect()).get(Math.max(0, left),
            TimeUnit.NANOSECONDS);
        if (!answer.isDone()) {
          throw outcomes.unavailable(config, health.outageReason(), null, true);
        }
        value = answer.get();
      }
      answered();
      return value;
    } catch (TimeoutException e) {
      throw outcomes.unavailable(config, "no answer within " + bound, e, true);
    } catch (ExecutionException e) {
      throw outcomes.storeFailure(config, e.getCause() == null ? e : e.getCause());
    }
  }

  /** {@code stage}, failed with {@link NoAnswer} if it is not done within the unavailable timeout. */
  <T> CompletableFuture<T> bounded(CompletionStage<T> stage) {
    return NoAnswer.within(stage, bound, scheduler);
  }

  /** A call got an answer: any outage is over. */
  void answered() {
    health.reachable();
  }

  /** Whether a call found the store unreachable and no probe or call has reached it since. */
  boolean knownDown() {
    return health.knownDown();
  }
}
