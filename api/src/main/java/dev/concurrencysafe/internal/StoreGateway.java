package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.integration.Redaction;
import dev.concurrencysafe.spi.AcquireResult;
import dev.concurrencysafe.spi.HandOver;
import dev.concurrencysafe.spi.LockBackend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one way to the lock store. It owns the backend, the one time bound of a store call (the
 * manager's unavailable timeout), the verdict on every failure (answered, refused, unreachable,
 * known down) and, through {@link StoreHealth}, the recovery probe. Nothing else calls the backend,
 * unwraps a store failure or starts a timer for a store call.
 *
 * <p>The bound: a blocking caller waits with {@code get(bound)} (no timer per call: a timer per
 * release was measurable on the common path); an asynchronous caller gets {@link NoAnswer#within}
 * on the manager's scheduler. An answer slower than {@link StoreHealth#SUSPECT_AFTER} starts a
 * probe, and a waiting call fails closed as soon as the store is found unreachable.
 *
 * <p>Thread-safety: thread-safe.
 */
final class StoreGateway {

  private final LockBackend backend;
  private final Duration bound;
  private final ScheduledExecutorService scheduler;
  private final StoreHealth health;
  private final StoreVerdict verdict;
  private final boolean handsOver;
  private final boolean keepsHandOvers;

  StoreGateway(
      LockBackend backend,
      Duration bound,
      ScheduledExecutorService scheduler,
      RepeatedLines refusalLines) {
    this.backend = backend;
    this.bound = bound;
    this.scheduler = scheduler;
    this.verdict = new StoreVerdict(backend, refusalLines);
    this.handsOver = backend.handsOver();
    this.keepsHandOvers = handsOver && backend.keepsHandOvers();
    this.health =
        new StoreHealth(
            () -> bounded(backend.probe(), bound), verdict::unreachableReason, scheduler);
  }

  /**
   * One ACQUIRE, blocking within the bound; fails fast while the store is known down. A command
   * that may still reach the store after the caller gave up gives back whatever it took.
   */
  Attempt acquire(LockConfig config, String owner, long queueMillis) throws InterruptedException {
    health.failIfKnownDown(config.key());
    long sentAt = System.nanoTime();
    CompletionStage<AcquireResult> stage = tryAcquire(config, owner, queueMillis);
    try {
      return new Attempt(await(stage, config), sentAt + config.ttl().toNanos());
    } catch (LockUnavailableException | InterruptedException e) {
      giveBackLate(stage, config, owner, queueMillis);
      throw e;
    }
  }

  /**
   * One ACQUIRE without blocking: the stage fails with the raw cause (for {@link #failure}, which
   * logs, so that the caller decides on which thread); fails fast while the store is known down.
   */
  CompletableFuture<Attempt> acquireAsync(LockConfig config, String owner, long queueMillis) {
    long sentAt = System.nanoTime();
    CompletableFuture<AcquireResult> sent = new CompletableFuture<>();
    health
        .checkAsync(config.key())
        .whenComplete(
            (reachable, down) -> {
              if (down != null) {
                sent.completeExceptionally(NoAnswer.unwrap(down));
                return;
              }
              tryAcquire(config, owner, queueMillis)
                  .whenComplete(
                      (reply, error) -> {
                        if (error != null) {
                          sent.completeExceptionally(NoAnswer.unwrap(error));
                        } else {
                          sent.complete(reply);
                        }
                      });
            });
    CompletableFuture<Attempt> attempt = new CompletableFuture<>();
    bounded(sent, bound)
        .whenComplete(
            (reply, error) -> {
              if (error != null) {
                giveBackLate(sent, config, owner, queueMillis);
                attempt.completeExceptionally(NoAnswer.unwrap(error));
              } else {
                health.reachable();
                attempt.complete(new Attempt(reply, sentAt + config.ttl().toNanos()));
              }
            });
    return attempt;
  }

  /** Waits within the bound for a subscription (or any other store stage). */
  <T> T await(CompletionStage<T> stage, LockConfig config) throws InterruptedException {
    return await(stage, config, true);
  }

  /**
   * Waits within the bound for a release's answer. A refusal is not logged here: the lease writes
   * the one line about a release that failed.
   */
  boolean awaitRelease(CompletionStage<Boolean> stage, LockConfig config)
      throws InterruptedException {
    return await(stage, config, false);
  }

  private <T> T await(CompletionStage<T> stage, LockConfig config, boolean logRefusal)
      throws InterruptedException {
    CompletableFuture<T> answer = stage.toCompletableFuture();
    long started = System.nanoTime();
    try {
      T value;
      try {
        value =
            answer.get(
                Math.min(StoreHealth.SUSPECT_AFTER.toNanos(), bound.toNanos()),
                TimeUnit.NANOSECONDS);
      } catch (TimeoutException slow) {
        long left = bound.toNanos() - (System.nanoTime() - started);
        CompletableFuture.anyOf(answer, health.suspect())
            .get(Math.max(0, left), TimeUnit.NANOSECONDS);
        if (!answer.isDone()) {
          throw StoreVerdict.unavailable(config, health.outageReason(), null);
        }
        value = answer.get();
      }
      health.reachable();
      return value;
    } catch (TimeoutException e) {
      health.unreachable("no answer within " + bound);
      throw StoreVerdict.unavailable(config, "no answer within " + bound, e);
    } catch (ExecutionException e) {
      throw verdict.of(config, e.getCause() == null ? e : e.getCause(), logRefusal, health);
    }
  }

  /** {@code stage} failed with {@link NoAnswer} unless done within the bound. */
  <T> CompletableFuture<T> bounded(CompletionStage<T> stage) {
    return bounded(stage, bound);
  }

  /** Sends a RENEW, bounded by {@code nanos} (at most the bound: never past the lease's expiry). */
  CompletableFuture<Boolean> renew(LockConfig config, String owner, long nanos) {
    return reachableIfAnswered(
        bounded(
            backend.renew(config.storeKey(), owner, config.ttl().toMillis()),
            Duration.ofNanos(Math.min(nanos, bound.toNanos()))));
  }

  /** Sends a RELEASE bounded by a timer (nobody waits for it); fails with {@link NoAnswer}. */
  CompletableFuture<Boolean> releaseInBackground(LockConfig config, String owner, long keep) {
    return reachableIfAnswered(bounded(release(config, owner, keep), bound));
  }

  private <T> CompletableFuture<T> reachableIfAnswered(CompletableFuture<T> stage) {
    return stage.whenComplete(
        (answer, error) -> {
          if (error == null) {
            health.reachable();
          }
        });
  }

  /** Sends a RELEASE: whether the key was still ours; fails with the raw cause. */
  CompletionStage<Boolean> release(LockConfig config, String owner, long keepMillis) {
    return backend.release(config.storeKey(), owner, Math.max(0, keepMillis));
  }

  /** Gives back a key acquired for a caller that is gone (a cancelled acquisition). */
  void giveBack(LockConfig config, String owner) {
    backend.release(config.storeKey(), owner, 0);
  }

  /** Whether a call found the store unreachable and no probe or call has reached it since. */
  boolean knownDown() {
    return health.knownDown();
  }

  /** A ping within the bound, for health checks; fails with a redacted exception. */
  CompletableFuture<Void> ping() {
    return bounded(backend.ping())
        .exceptionally(
            error -> {
              Throwable cause = NoAnswer.unwrap(error);
              throw new LockUnavailableException(
                  "(health probe)",
                  "lock store unavailable: " + Redaction.describe(cause),
                  cause instanceof NoAnswer ? null : cause);
            });
  }

  /** Subscribes to {@code storeKey}'s release notifications (waited for with {@link #await}). */
  CompletionStage<LockBackend.Subscription> subscribe(String storeKey, Runnable onRelease) {
    return backend.subscribe(storeKey, onRelease);
  }

  /**
   * Whether waiters queue in the store and a release hands the key to the first of them ({@link
   * LockBackend#handsOver()}): then an ACQUIRE sends the wait left, waiters are woken by {@link
   * #subscribeHandOvers} for their own owner token, and a waiter that stops waiting {@link
   * #leaveQueue leaves the queue}.
   */
  boolean handsOver() {
    return handsOver;
  }

  /**
   * Whether a hand-over to a queued waiter reaches its key's subscription even when made after it
   * ({@link LockBackend#keepsHandOvers()}): a waiter then never needs to ask again after joining.
   */
  boolean keepsHandOvers() {
    return keepsHandOvers;
  }

  /** Subscribes to the hand-overs of {@code storeKey} (waited for with {@link #await}). */
  CompletionStage<LockBackend.Subscription> subscribeHandOvers(
      String storeKey, Consumer<HandOver> handedTo) {
    return backend.subscribeHandOvers(storeKey, handedTo);
  }

  /**
   * A waiter that queued and stops waiting without the key: takes it out of the store's queue, and
   * a key handed to it meanwhile goes on to the next waiter. Nobody waits for the answer; an
   * unanswered one costs the others at most the time its entry stays live.
   */
  void leaveQueue(LockConfig config, String owner) {
    if (handsOver) {
      try {
        backend.leaveQueue(config.storeKey(), owner);
      } catch (RuntimeException e) {
        // the entry expires by itself in the store: nothing more to do here
      }
    }
  }

  /**
   * The verdict on a failed store call, always a {@link LockUnavailableException}: unreachable (no
   * answer in time, or a transport failure) starts the fail-fast mode; a refusal (the store
   * answered with an error) fails this call alone and is logged per key name and interval.
   */
  LockUnavailableException failure(LockConfig config, Throwable cause) {
    return verdict.of(config, cause, true, health);
  }

  /** Writes the pending refusal summary and closes the backend (the manager is shutting down). */
  void close() {
    verdict.flush();
    backend.close();
  }

  private CompletionStage<AcquireResult> tryAcquire(
      LockConfig config, String owner, long queueMillis) {
    try {
      long ttl = config.ttl().toMillis();
      return handsOver
          ? backend.tryAcquire(config.storeKey(), owner, ttl, queueMillis)
          : backend.tryAcquire(config.storeKey(), owner, ttl);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** An ACQUIRE whose caller gave up: a key it took is released, a place it queued for is left. */
  private void giveBackLate(
      CompletionStage<AcquireResult> stage, LockConfig config, String owner, long queueMillis) {
    stage.whenComplete(
        (late, error) -> {
          if (late != null && late.acquired()) {
            backend.release(config.storeKey(), owner, 0);
          } else if (queueMillis > 0) {
            // a failure without an answer may also have queued the caller (the reply was lost)
            leaveQueue(config, owner);
          }
        });
  }

  private <T> CompletableFuture<T> bounded(CompletionStage<T> stage, Duration within) {
    return NoAnswer.within(stage, within, scheduler);
  }
}
