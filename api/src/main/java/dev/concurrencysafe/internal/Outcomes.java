package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.spi.Redaction;
import dev.concurrencysafe.spi.StoreRefusedException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * How an acquisition that did not simply succeed ends, for the blocking and the asynchronous path
 * alike: a refusal (BLOCKED, the spec's exception), a skip (SKIPPED), a store failure (always a
 * {@link LockUnavailableException}: unreachable, which starts the fail-fast mode, or refused), and
 * failing closed or, with {@code failOpen()}, open. Each writes its line through a {@link
 * RepeatedLines} (first per key name and interval, the rest summed up) and reports its event.
 *
 * <p>Thread-safety: thread-safe; the lines and listeners are.
 */
final class Outcomes {

  private final LockBackend backend;
  private final StoreHealth health;
  private final Duration unavailableTimeout;
  private final RepeatedLines refusalLines;
  private final RepeatedLines unprotectedLines;
  private final RepeatedLines storeRefusalLines;
  private final RepeatedLines skipLines;

  Outcomes(LockBackend backend, StoreHealth health, Duration unavailableTimeout,
      Duration repeatedLogInterval, ScheduledExecutorService scheduler) {
    this.backend = backend;
    this.health = health;
    this.unavailableTimeout = unavailableTimeout;
    this.refusalLines = new RepeatedLines("refusals", repeatedLogInterval, scheduler);
    this.unprotectedLines = new RepeatedLines("runs without the lock (failOpen)",
        repeatedLogInterval, scheduler);
    this.storeRefusalLines = new RepeatedLines("calls refused by the store", repeatedLogInterval,
        scheduler);
    this.skipLines = new RepeatedLines("skips", repeatedLogInterval, scheduler);
  }

  /** Store unreachable or refusing: reports it, then runs unprotected with failOpen or throws. */
  Lease failClosedOrOpen(LockConfig config, long startedNanos, LockUnavailableException e) {
    config.trace().publish(LockEvent.Type.UNAVAILABLE, 0, System.nanoTime() - startedNanos, e);
    if (config.failOpen()) {
      unprotectedLines.log(Level.WARNING, config.keyName(), "[concurrency-safe] store unreachable"
          + " for key={0}: running WITHOUT the lock because the spec opted into failOpen()",
          config.key());
      return new UnprotectedLease(config.key(), config.trace());
    }
    throw e;
  }

  /** A skip-when-busy verb found the key held elsewhere: logged at its level, SKIPPED. */
  void skipped(LockConfig config, long startedNanos) {
    long waited = System.nanoTime() - startedNanos;
    skipLines.log(config.skipLogLevel(), config.keyName(),
        "[concurrency-safe] skipped: key={0} is held elsewhere", config.key());
    config.trace().publish(LockEvent.Type.SKIPPED, 0, waited, null);
  }

  /** Logs the one refusal line, reports BLOCKED and builds the spec's exception. */
  RuntimeException refuse(LockConfig config, long started, String logMessage) {
    long waited = System.nanoTime() - started; // before logging: writing the line is not waiting
    refusalLines.log(config.blockedLogLevel(), config.keyName(), logMessage, config.key());
    config.trace().publish(LockEvent.Type.BLOCKED, 0, waited, null);
    RuntimeException exception = config.onBlocked().apply(config.blockedMessage());
    if (exception == null) {
      return new NullPointerException("onBlocked factory must return an exception, but returned null"
          + " for key '" + config.key() + "'");
    }
    return exception;
  }

  /** What a failed store call means for the caller: always a {@link LockUnavailableException}. */
  LockUnavailableException storeFailure(LockConfig config, Throwable cause) {
    if (cause instanceof LockUnavailableException already) {
      return already;
    }
    if (cause instanceof NoAnswer) {
      return unavailable(config, "no answer within " + unavailableTimeout, cause, true);
    }
    if (cause instanceof StoreRefusedException refused) {
      return refusedByStore(config, refused);
    }
    return unavailable(config, Redaction.describe(cause), cause, backend.isUnreachable(cause));
  }

  /**
   * The store answered and refused: fail closed now (waiting would not change the answer), with the
   * store's words, logged per key name and interval. The store is up, so this is not an outage.
   */
  private LockUnavailableException refusedByStore(LockConfig config, StoreRefusedException refused) {
    String why = Redaction.redact(refused.getMessage());
    storeRefusalLines.log(Level.WARNING, config.keyName(), "[concurrency-safe] lock store refused"
        + " the call for key={0} ({1}): it fails closed with LockUnavailableException",
        config.key(), why);
    return new LockUnavailableException(config.key(), "lock store refused the call for key '"
        + config.key() + "': " + why, refused);
  }

  /**
   * Unreachable: calls fail fast from now on until a probe sees the store again. A refusal (the
   * store answered, with an error) fails this call alone and is logged per key name and interval.
   */
  LockUnavailableException unavailable(LockConfig config, String why, @Nullable Throwable cause,
      boolean unreachable) {
    String key = config.key();
    if (unreachable) {
      health.unreachable(why);
    } else {
      storeRefusalLines.log(Level.WARNING, config.keyName(), "[concurrency-safe] lock store refused the call for"
          + " key={0} ({1}): it fails closed with LockUnavailableException", key, why);
    }
    return new LockUnavailableException(key, "lock store unavailable for key '" + key
        + "': " + why,
        cause);
  }

  /** Writes every pending summary line now (the manager is shutting down). */
  void flush() {
    refusalLines.flush();
    unprotectedLines.flush();
    storeRefusalLines.flush();
    skipLines.flush();
  }
}
