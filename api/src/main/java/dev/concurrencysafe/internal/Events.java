package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Delivers events to the manager's listeners, isolating the lock from listener failures.
 *
 * <p>Thread-safety: immutable; listeners must be thread-safe.
 */
final class Events {

  private final List<LockListener> listeners;

  Events(List<LockListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void publish(LockEvent.Type type, LockConfig config, long token, long nanos,
      @Nullable Throwable error) {
    if (listeners.isEmpty()) {
      return;
    }
    LockEvent event = new LockEvent(type, config.key(), config.keyName(), token,
        Duration.ofNanos(Math.max(0, nanos)), error);
    for (LockListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError) {
          throw e;
        }
        LockEngine.LOG.log(Level.WARNING, "[concurrency-safe] listener " + listener.getClass().getName()
            + " failed on " + type + " for key=" + config.key() + "; ignored", e);
      }
    }
  }
}
