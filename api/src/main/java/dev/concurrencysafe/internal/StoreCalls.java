package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.spi.Redaction;
import dev.concurrencysafe.spi.StoreRefusedException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Every wait of a manager for its lock store: bounded by the unavailable timeout, failing fast
 * while the store is known down ({@link StoreHealth}), telling a refusal (the store answered with
 * an error) from unreachability, and logging refusals once per key name and interval.
 *
 * <p>Thread-safety: thread-safe.
 */
final class StoreCalls {

  private final LockBackend backend;
  private final Duration bound;
  private final StoreHealth health;
  private final RepeatedLines refusalLines;

  StoreCalls(LockBackend backend, Duration bound, ScheduledExecutorService scheduler,
      Duration repeatedLogInterval) {
    this.backend = backend;
    this.bound = bound;
    this.health = new StoreHealth(backend, bound, scheduler);
    this.refusalLines = new RepeatedLines("calls refused by the store", repeatedLogInterval,
        scheduler);
  }

  /** Throws at once (after at most a short probe) while the store is known to be unreachable. */
  void failIfKnownDown(String key) throws InterruptedException {
    health.failIfKnownDown(key);
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
          throw unavailable(config, health.outageReason(), null, true);
        }
        value = answer.get();
      }
      answered();
      return value;
    } catch (TimeoutException e) {
      throw unavailable(config, "no answer within " + bound, e, true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof StoreRefusedException refused) {
        throw refusedByStore(config, refused);
      }
      throw unavailable(config, Redaction.describe(cause), cause, backend.isUnreachable(cause));
    }
  }

  /**
   * The store answered and refused: fail closed now (waiting would not change the answer), with the
   * store's words, logged per key name and interval. The store is up, so this is not an outage.
   */
  private LockUnavailableException refusedByStore(LockConfig config, StoreRefusedException refused) {
    String why = Redaction.redact(refused.getMessage());
    refusalLines.log(Level.WARNING, config.keyName(), "[concurrency-safe] lock store refused"
        + " the call for key={0} ({1}): it fails closed with LockUnavailableException",
        config.key(), why);
    return new LockUnavailableException(config.key(), "lock store refused the call for key '"
        + config.key() + "': " + why, refused);
  }

  /**
   * Unreachable: calls fail fast from now on until a probe sees the store again. A refusal (the
   * store answered, with an error) fails this call alone and is logged per key name and interval.
   */
  private LockUnavailableException unavailable(LockConfig config, String why,
      @Nullable Throwable cause, boolean unreachable) {
    String key = config.key();
    if (unreachable) {
      health.unreachable(why);
    } else {
      refusalLines.log(Level.WARNING, config.keyName(), "[concurrency-safe] lock store refused the call for"
          + " key={0} ({1}): it fails closed with LockUnavailableException", key, why);
    }
    return new LockUnavailableException(key, "lock store unavailable for key '" + key
        + "': " + why,
        cause);
  }

  /** A call got an answer: any outage is over. */
  void answered() {
    health.reachable();
  }

  /** Whether a call found the store unreachable and no probe or call has reached it since. */
  boolean knownDown() {
    return health.knownDown();
  }

  /** Writes the pending refusal summary (the manager shuts down). */
  void flushLines() {
    refusalLines.flush();
  }


  /** Bounded by the unavailable timeout; fails with a redacted {@link LockUnavailableException}. */
  CompletionStage<Void> ping() {
    return backend.ping().toCompletableFuture().copy()
        .orTimeout(bound.toNanos(), TimeUnit.NANOSECONDS)
        .exceptionally(error -> {
          Throwable cause = error instanceof java.util.concurrent.CompletionException
              && error.getCause() != null ? error.getCause() : error;
          String why = cause instanceof TimeoutException
              ? "no answer within " + bound : Redaction.describe(cause);
          throw new LockUnavailableException("(health probe)", "lock store unavailable: " + why,
              cause);
        });
  }
}
