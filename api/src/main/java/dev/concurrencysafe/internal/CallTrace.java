package dev.concurrencysafe.internal;

import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockObservation;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One lock call's observations (one per {@link LockInstrumentation}, listeners included), called in
 * registration order, scopes closed in reverse. Every event of the call, lease events included,
 * goes through here: it is the one event path.
 *
 * <p>{@link LockObservation#end} comes exactly once and last: when the verb has told {@link #end}
 * what its caller receives and every lease opened for the call has finished its release (a release
 * sent in the background while the store is down ends the call when it completes).
 *
 * <p>Thread-safety: thread-safe; the counters are atomic and the observations must be.
 */
final class CallTrace {

  /** The trace of a manager without instrumentation or listeners: every method returns at once. */
  static final CallTrace NONE = new CallTrace(new LockObservation[0], "", "", null);

  private final LockObservation[] observations;
  private final String key;
  private final String keyName;
  private final @Nullable HookFailures failures;

  /** The verb's part plus one per lease still releasing. */
  private final AtomicInteger open = new AtomicInteger(1);

  private final AtomicBoolean verbEnded = new AtomicBoolean();
  private volatile @Nullable Throwable thrown;

  private CallTrace(
      LockObservation[] observations, String key, String keyName, @Nullable HookFailures failures) {
    this.observations = observations;
    this.key = key;
    this.keyName = keyName;
    this.failures = failures;
  }

  /**
   * Starts a call on the caller's thread (before it waits): one observation per instrumentation, in
   * registration order (the first outermost). {@code call} is null when every instrumentation is a
   * {@link ListenerInstrumentation}, whose shared observation needs none.
   */
  static CallTrace start(
      LockInstrumentation[] instrumentations,
      HookFailures failures,
      @Nullable LockCall call,
      String key,
      String keyName) {
    // no list: a call that every instrumentation declines (NONE) allocates nothing here
    LockObservation[] started = null;
    int count = 0;
    for (LockInstrumentation instrumentation : instrumentations) {
      try {
        LockObservation observation =
            call == null
                ? ((ListenerInstrumentation) instrumentation).observation
                : instrumentation.start(call);
        if (observation != null && observation != LockObservation.NONE) {
          if (started == null) {
            started = new LockObservation[instrumentations.length];
          }
          started[count++] = observation;
        }
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError fatal) {
          throw fatal;
        }
        failures.failed(instrumentation.getClass().getName() + ".start", key, e);
      }
    }
    if (started == null) {
      return NONE;
    }
    return new CallTrace(
        count == started.length ? started : Arrays.copyOf(started, count), key, keyName, failures);
  }

  void publish(LockEvent.Type type, long token, long nanos, @Nullable Throwable error) {
    if (observations.length == 0) {
      return;
    }
    LockEvent event =
        new LockEvent(type, key, keyName, token, Duration.ofNanos(Math.max(0, nanos)), error);
    for (LockObservation observation : observations) {
      try {
        observation.onEvent(event);
      } catch (RuntimeException | Error e) {
        failed(observation, "onEvent(" + type + ")", e);
      }
    }
  }

  /** Opens every observation's body scope on this thread; the result closes them in reverse. */
  LockObservation.Scope enterBody() {
    if (observations.length == 0) {
      return LockObservation.Scope.NONE;
    }
    LockObservation.Scope[] scopes = new LockObservation.Scope[observations.length];
    for (int i = 0; i < observations.length; i++) {
      try {
        scopes[i] = observations[i].enterBody();
      } catch (RuntimeException | Error e) {
        failed(observations[i], "enterBody", e);
        scopes[i] = LockObservation.Scope.NONE;
      }
    }
    return () -> {
      for (int i = scopes.length - 1; i >= 0; i--) {
        try {
          scopes[i].close();
        } catch (RuntimeException | Error e) {
          failed(observations[i], "Scope.close", e);
        }
      }
    };
  }

  /** A lease of this call exists: the call ends only after its release finished. */
  void leaseOpened() {
    if (observations.length != 0) {
      open.incrementAndGet();
    }
  }

  /** A lease of this call finished its release (or was given up). */
  void leaseClosed() {
    if (observations.length != 0 && open.decrementAndGet() == 0) {
      ended();
    }
  }

  /**
   * The verb is done: {@code error} is what its caller receives (null: a normal return or a skip).
   * Only the first call counts.
   */
  void end(@Nullable Throwable error) {
    if (observations.length == 0 || !verbEnded.compareAndSet(false, true)) {
      return;
    }
    thrown = error;
    if (open.decrementAndGet() == 0) {
      ended();
    }
  }

  private void ended() {
    Throwable error = thrown;
    for (int i = observations.length - 1; i >= 0; i--) {
      try {
        observations[i].end(error);
      } catch (RuntimeException | Error e) {
        failed(observations[i], "end", e);
      }
    }
  }

  private void failed(LockObservation observation, String method, Throwable e) {
    if (e instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    if (failures != null) {
      Object hook =
          observation instanceof ListenerInstrumentation.Forward forward
              ? forward.listener()
              : observation;
      failures.failed(hook.getClass().getName() + "." + method, key, e);
    }
  }
}
