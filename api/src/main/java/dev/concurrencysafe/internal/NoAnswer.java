package dev.concurrencysafe.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A store call that did not answer within its bound, detected by a timer on the engine's scheduler
 * (no thread waits for it). Its own type, so that a bound the engine set is never confused with a
 * timeout the store client reported.
 *
 * <p>Thread-safety: immutable.
 */
final class NoAnswer extends TimeoutException {

  private static final long serialVersionUID = 1L;

  private NoAnswer(Duration bound) {
    super("no answer within " + bound);
  }

  /**
   * A copy of {@code stage} (unwrapped from {@link CompletionException}) that fails with {@link
   * NoAnswer} once {@code bound} passed; the timer is cancelled when the stage completes first.
   */
  static <T> CompletableFuture<T> within(
      CompletionStage<T> stage, Duration bound, ScheduledExecutorService scheduler) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    try {
      timer =
          scheduler.schedule(
              () -> bounded.completeExceptionally(new NoAnswer(bound)),
              bound.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      bounded.completeExceptionally(new IllegalStateException("LockManager is closed"));
      return bounded;
    }
    stage.whenComplete(
        (value, error) -> {
          timer.cancel(false);
          if (error != null) {
            bounded.completeExceptionally(unwrap(error));
          } else {
            bounded.complete(value);
          }
        });
    return bounded;
  }

  static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
