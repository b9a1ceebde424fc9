package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockObservation;

/**
 * A {@link LockListener} as an instrumentation: one shared observation that forwards every event,
 * so that a manager with listeners only builds no {@link LockCall} per call (see {@link
 * LockEngine#begin}).
 *
 * <p>Thread-safety: immutable; the listener must be thread-safe.
 */
public final class ListenerInstrumentation implements LockInstrumentation {

  final LockObservation observation;

  private ListenerInstrumentation(LockListener listener) {
    this.observation = new Forward(listener);
  }

  /** {@code listener} as an instrumentation, in the builder's registration order. */
  public static LockInstrumentation of(LockListener listener) {
    return new ListenerInstrumentation(listener);
  }

  @Override
  public LockObservation start(LockCall call) {
    return observation;
  }

  /** Forwards events to a listener; warnings about its failures name the listener. */
  record Forward(LockListener listener) implements LockObservation {
    @Override
    public void onEvent(LockEvent event) {
      listener.onEvent(event);
    }
  }
}
