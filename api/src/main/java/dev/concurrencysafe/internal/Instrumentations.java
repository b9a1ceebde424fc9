package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockListener;
import dev.concurrencysafe.LockObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A manager's instrumentations, in registration order (the first outermost); a {@link LockListener}
 * is one of them, whose observation forwards the events. {@link #start} begins one call's {@link
 * CallTrace}.
 *
 * <p>Thread-safety: immutable; the instrumentations must be thread-safe.
 */
public final class Instrumentations {

  private final LockInstrumentation[] all;

  /** Whether every one is a listener: then no {@link LockCall} needs to be built per call. */
  private final boolean listenersOnly;

  private final HookFailures failures;

  Instrumentations(List<LockInstrumentation> instrumentations, HookFailures failures) {
    this.all = instrumentations.toArray(new LockInstrumentation[0]);
    this.listenersOnly = instrumentations.stream().allMatch(Listening.class::isInstance);
    this.failures = failures;
  }

  /** A listener as an instrumentation: one shared observation that forwards every event. */
  public static LockInstrumentation of(LockListener listener) {
    return new Listening(listener);
  }

  /** Starts a call on the caller's thread (before it waits). */
  CallTrace start(
      String key,
      String keyName,
      String verb,
      boolean skipWhenBusy,
      Duration ttl,
      Duration waitTimeout,
      Duration cooldown) {
    if (all.length == 0) {
      return CallTrace.NONE;
    }
    @Nullable LockCall call =
        listenersOnly
            ? null
            : new LockCall(key, keyName, verb, skipWhenBusy, ttl, waitTimeout, cooldown);
    List<LockObservation> started = new ArrayList<>(all.length);
    for (LockInstrumentation instrumentation : all) {
      try {
        LockObservation observation =
            call == null ? ((Listening) instrumentation).observation : instrumentation.start(call);
        if (observation != null && observation != LockObservation.NONE) {
          started.add(observation);
        }
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError fatal) {
          throw fatal;
        }
        failures.failed(instrumentation.getClass().getName() + ".start", key, e);
      }
    }
    return started.isEmpty()
        ? CallTrace.NONE
        : new CallTrace(started.toArray(new LockObservation[0]), key, keyName, failures);
  }

  /** A listener, wrapped. */
  private static final class Listening implements LockInstrumentation {
    final LockObservation observation;

    Listening(LockListener listener) {
      this.observation = new Forward(listener);
    }

    @Override
    public LockObservation start(LockCall call) {
      return observation;
    }
  }

  /** Forwards events to a listener; warnings about its failures name the listener. */
  record Forward(LockListener listener) implements LockObservation {
    @Override
    public void onEvent(LockEvent event) {
      listener.onEvent(event);
    }
  }
}
