package dev.concurrencysafe;

import org.jspecify.annotations.Nullable;

/**
 * One lock call as seen by a {@link LockInstrumentation}, from {@link LockInstrumentation#start} to
 * {@link #end}.
 *
 * <p>The order is: {@link #onEvent} with the acquisition's outcome (ACQUIRED, BLOCKED, SKIPPED or
 * UNAVAILABLE); if acquired, {@link #enterBody} around the body (once per thread the body runs on:
 * again on every resumption of a Kotlin coroutine), then RELEASED, COOLDOWN_STARTED, LEASE_LOST or
 * RENEWAL_FAILED events as they happen; and {@link #end} exactly once, last.
 *
 * <p>Thread-safety: the methods may be called from different threads (the caller's, an async
 * continuation's, the renewal thread), never two at once for one call except {@link #onEvent} from
 * the renewal thread, so implementations must be thread-safe.
 */
public interface LockObservation {

  /** An observation that does nothing. */
  LockObservation NONE = new LockObservation() {};

  /**
   * The body is about to run on this thread: make this call's context current until the returned
   * scope is closed (on the same thread, when the body returns or suspends).
   */
  default Scope enterBody() {
    return Scope.NONE;
  }

  /** Something happened to this call's lock (the same event a {@link LockListener} receives). */
  default void onEvent(LockEvent event) {}

  /**
   * The call is over: its lease is closed, or it never got one. Called exactly once.
   *
   * @param thrown what the caller receives as an exception (the body's own, a {@link
   *     ConcurrencyException}, a {@link LockUnavailableException}, ...), or null when the call
   *     returned normally (including a skipped {@code tryRun} returning false)
   */
  default void end(@Nullable Throwable thrown) {}

  /** A context made current by {@link #enterBody}; closing it restores the previous context. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** A scope that restores nothing. */
    Scope NONE = () -> {};

    @Override
    void close();
  }
}
