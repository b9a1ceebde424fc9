package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.integration.Redaction;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.spi.StoreRefusedException;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * The verdict on a failed store call, for {@link StoreGateway} alone: the one place that decides
 * whether the store is unreachable (no answer in time, or a transport failure per the backend's
 * {@link LockBackend#isUnreachable}: the fail-fast mode starts) or refused the call (it answered
 * with an error: that call alone fails, logged per key name and interval).
 *
 * <p>Thread-safety: thread-safe.
 */
final class StoreVerdict {

  private final LockBackend backend;
  private final RepeatedLines refusalLines;

  StoreVerdict(LockBackend backend, RepeatedLines refusalLines) {
    this.backend = backend;
    this.refusalLines = refusalLines;
  }

  /**
   * Always a {@link LockUnavailableException}; an unreachable store is reported to {@code health}.
   */
  LockUnavailableException of(
      LockConfig config, Throwable cause, boolean logRefusal, StoreHealth health) {
    if (cause instanceof LockUnavailableException already) {
      return already;
    }
    if (cause instanceof StoreRefusedException refused) {
      String why = Redaction.redact(refused.getMessage());
      logRefusal(logRefusal, config, why);
      return new LockUnavailableException(
          config.key(),
          "lock store refused the call for key '" + config.key() + "': " + why,
          refused);
    }
    String unreachable = unreachableReason(cause);
    if (unreachable != null) {
      health.unreachable(unreachable);
      return unavailable(config, unreachable, cause);
    }
    String why = Redaction.describe(cause);
    logRefusal(logRefusal, config, why);
    return unavailable(config, why, cause);
  }

  /** Why {@code cause} means the store is unreachable, or null if the store answered (refused). */
  @Nullable String unreachableReason(Throwable cause) {
    if (cause instanceof NoAnswer) {
      return cause.getMessage();
    }
    return backend.isUnreachable(cause) ? Redaction.describe(cause) : null;
  }

  static LockUnavailableException unavailable(
      LockConfig config, String why, @Nullable Throwable cause) {
    return new LockUnavailableException(
        config.key(), "lock store unavailable for key '" + config.key() + "': " + why, cause);
  }

  /** Writes the pending refusal summary (the manager is shutting down). */
  void flush() {
    refusalLines.flush();
  }

  private void logRefusal(boolean log, LockConfig config, String why) {
    if (log) {
      refusalLines.log(
          Level.WARNING,
          config.keyName(),
          "[concurrency-safe] lock store refused"
              + " the call for key={0} ({1}): it fails closed with LockUnavailableException",
          config.key(),
          why);
    }
  }
}
