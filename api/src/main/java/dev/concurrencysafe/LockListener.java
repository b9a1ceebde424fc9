package dev.concurrencysafe;

/**
 * Receives {@link LockEvent}s from a {@link LockManager}; register it with {@link
 * LockManagerBuilder#listener(LockListener)} (or, in CDI, as a bean: the CDI extension registers
 * {@code LockListener} beans on the manager it builds, not on one the application produces).
 *
 * <p>A listener is the simplest {@link LockInstrumentation}: it receives exactly the events an
 * instrumentation's {@link LockObservation#onEvent} does, in the same order among the manager's
 * instrumentations and listeners (the order they were registered).
 *
 * <p>Listeners are called synchronously on the thread where the event happens (the caller's thread,
 * or the renewal thread for LEASE_LOST), so a slow listener slows the locked call: keep it quick,
 * or hand off to an executor yourself. An exception thrown by a listener is logged at WARNING (once
 * per interval, like other repeated lines) and otherwise ignored: it never breaks the lock or the
 * caller.
 *
 * <p>Thread-safety: implementations must be thread-safe; they are called concurrently.
 */
@FunctionalInterface
public interface LockListener {
  void onEvent(LockEvent event);
}
