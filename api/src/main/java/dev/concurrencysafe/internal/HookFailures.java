package dev.concurrencysafe.internal;

import dev.concurrencysafe.integration.Redaction;
import java.lang.System.Logger.Level;

/**
 * Where an exception thrown by an instrumentation or a listener goes: a WARNING line, written once
 * per hook method and interval and summed up after (a hook failing on every call must not flood the
 * log), and otherwise ignored: it never breaks the lock or the caller.
 *
 * <p>Thread-safety: thread-safe.
 */
final class HookFailures {

  private final RepeatedLines lines;

  HookFailures(RepeatedLines lines) {
    this.lines = lines;
  }

  /**
   * {@code hook} is the failing class and method, e.g. {@code com.acme.Audit.onEvent(ACQUIRED)}.
   */
  void failed(String hook, String key, Throwable error) {
    lines.log(
        Level.WARNING,
        hook,
        "[concurrency-safe] {0} failed for key={1}; ignored: {2}",
        hook,
        key,
        Redaction.describe(error));
  }
}
