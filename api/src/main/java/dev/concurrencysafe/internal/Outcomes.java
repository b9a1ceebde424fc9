package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The decision step shared by {@link BlockingAcquisition} and {@link AsyncAcquisition}: how an
 * acquisition ends without a lease of its own (a granted key is {@link LeaseImpl#grant}). Busy
 * (SKIPPED for a skip-when-busy call, else BLOCKED and the spec's exception), failed (UNAVAILABLE,
 * then closed with the {@link LockUnavailableException} or, with {@code failOpen()}, open), or
 * interrupted. Each repeated line goes through a {@link RepeatedLines} (first per key name and
 * interval, the rest summed up).
 *
 * <p>Thread-safety: thread-safe; the lines and the traces are.
 */
final class Outcomes {

  static final String BLOCKED_LINE = "[concurrency-safe] blocked: key={0} is held elsewhere";

  private final RepeatedLines refusalLines;
  private final RepeatedLines unprotectedLines;
  private final RepeatedLines skipLines;

  Outcomes(Duration repeatedLogInterval, ScheduledExecutorService scheduler) {
    this.refusalLines = new RepeatedLines("refusals", repeatedLogInterval, scheduler);
    this.unprotectedLines =
        new RepeatedLines("runs without the lock (failOpen)", repeatedLogInterval, scheduler);
    this.skipLines = new RepeatedLines("skips", repeatedLogInterval, scheduler);
  }

  /** The key stayed held elsewhere: null (skipped) for a skip-when-busy call; else the refusal. */
  @Nullable Lease busy(LockConfig config, long startedNanos) {
    if (config.skipWhenBusy()) {
      skipped(config, startedNanos);
      return null;
    }
    throw refuse(config, startedNanos);
  }

  /** Store unreachable or refusing: reports it, then runs unprotected with failOpen or throws. */
  Lease failClosedOrOpen(LockConfig config, long startedNanos, LockUnavailableException e) {
    config.trace().publish(LockEvent.Type.UNAVAILABLE, 0, System.nanoTime() - startedNanos, e);
    if (config.failOpen()) {
      unprotectedLines.log(
          Level.WARNING,
          config.keyName(),
          "[concurrency-safe] store unreachable"
              + " for key={0}: running WITHOUT the lock because the spec opted into failOpen()",
          config.key());
      return new UnprotectedLease(config.key(), config.trace());
    }
    throw e;
  }

  /** A skip-when-busy verb found the key held elsewhere: logged at its level, SKIPPED. */
  void skipped(LockConfig config, long startedNanos) {
    long waited = System.nanoTime() - startedNanos;
    skipLines.log(
        config.skipLogLevel(),
        config.keyName(),
        "[concurrency-safe] skipped: key={0} is held elsewhere",
        config.key());
    config.trace().publish(LockEvent.Type.SKIPPED, 0, waited, null);
  }

  /** Logs the one refusal line, reports BLOCKED and builds the spec's exception. */
  RuntimeException refuse(LockConfig config, long started) {
    long waited = System.nanoTime() - started; // before logging: writing the line is not waiting
    refusalLines.log(config.blockedLogLevel(), config.keyName(), BLOCKED_LINE, config.key());
    config.trace().publish(LockEvent.Type.BLOCKED, 0, waited, null);
    RuntimeException exception = config.onBlocked().apply(config.blockedMessage());
    if (exception == null) {
      return new NullPointerException(
          "onBlocked factory must return an exception, but returned null"
              + " for key '"
              + config.key()
              + "'");
    }
    return exception;
  }

  /**
   * The caller's thread was interrupted while it waited: the call is cancelled, which is neither a
   * refusal (the key may be free by now) nor a skip, so no event and not the spec's exception.
   */
  CancellationException interrupted(LockConfig config) {
    CancellationException cancelled =
        new CancellationException(
            "interrupted while waiting for"
                + " key '"
                + config.key()
                + "': nothing was acquired (the thread's interrupt flag is set)");
    return cancelled;
  }

  /** Writes every pending summary line now (the manager is shutting down). */
  void flush() {
    refusalLines.flush();
    unprotectedLines.flush();
    skipLines.flush();
  }
}
