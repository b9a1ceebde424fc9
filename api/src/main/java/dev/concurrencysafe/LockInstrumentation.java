package dev.concurrencysafe;

/**
 * Instrumentation around every lock call (tracing, metrics, audit): it sees the call begin, can
 * make its own context current while the body runs, receives the call's {@link LockEvent}s and is
 * told once when the call is over. Register it with {@link
 * LockManagerBuilder#instrumentation(LockInstrumentation)}, or in CDI as a bean of this type.
 *
 * <p>Unlike a {@link LockListener}, which only hears events after the fact, an instrumentation can
 * put a span around the wait and the hold and make it the parent of the body's own spans.
 *
 * <p>{@link #start} is called on the caller's thread before the call waits; it and every method of
 * the returned {@link LockObservation} must be quick and should not throw: an exception is logged
 * at WARNING (once per hook method and {@link LockManagerBuilder#repeatedLogInterval interval}, the
 * rest summed up) and otherwise ignored, it never breaks the lock or the caller.
 *
 * <p>Several instrumentations (listeners included) are called in registration order, the first
 * outermost: {@code start}, events and {@code enterBody} in that order, scopes closed and {@code
 * end} called in reverse.
 *
 * <p>Thread-safety: implementations must be thread-safe; they are called concurrently.
 */
@FunctionalInterface
public interface LockInstrumentation {

  /**
   * A lock call begins.
   *
   * @param call what is being locked and how
   * @return this call's observation, or {@link LockObservation#NONE} to ignore the call
   */
  LockObservation start(LockCall call);
}
