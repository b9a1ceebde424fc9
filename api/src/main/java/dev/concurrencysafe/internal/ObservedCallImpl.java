package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.integration.ObservedCall;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * {@link ObservedCall} over the engine: the same acquisition, trace and {@link StageHold} as the
 * {@link LockSpec} verbs.
 *
 * <p>Thread-safety: thread-safe (the trace is; the config is immutable).
 */
public final class ObservedCallImpl implements ObservedCall {

  private final LockEngine engine;
  private final LockConfig config;

  private ObservedCallImpl(LockEngine engine, LockConfig config) {
    this.engine = engine;
    this.config = config;
  }

  public static LockSpec reportedAs(LockSpec spec, String verb) {
    SpecImpl impl = impl(spec);
    return impl.with(impl.settings().withVerb(Checks.notNull(verb, "verb")));
  }

  public static LockSpec keyed(LockSpec template, LockKey key, @Nullable Object... args) {
    SpecImpl impl = impl(template);
    return impl.with(impl.settings().withKey(key, args));
  }

  public static ObservedCall start(LockSpec spec, String verb, boolean skipWhenBusy) {
    SpecImpl impl = impl(spec);
    return new ObservedCallImpl(
        impl.engine(),
        impl.with(impl.settings().withVerb(Checks.notNull(verb, "verb")))
            .begin(verb, skipWhenBusy));
  }

  private static SpecImpl impl(LockSpec spec) {
    if (spec instanceof SpecImpl impl) {
      return impl;
    }
    throw new IllegalArgumentException(
        "expected a LockSpec made by a LockManager, but was "
            + (spec == null ? "null" : spec.getClass().getName()));
  }

  @Override
  public @Nullable Lease acquire() {
    try {
      Lease lease = engine.acquire(config);
      if (lease == null) {
        config.trace().end(null);
      }
      return lease;
    } catch (RuntimeException | Error e) {
      config.trace().end(e);
      throw e;
    }
  }

  @Override
  public CompletableFuture<@Nullable Lease> acquireAsync() {
    CompletableFuture<@Nullable Lease> acquiring = engine.acquireAsync(config);
    // The caller hears of a refusal or a skip only once the call has ended: a continuation the
    // caller attached to `acquiring` itself could run before ours (dependents run in no set order).
    // (the trace ends when `acquiring` completes, also after a cancellation)
    CompletableFuture<@Nullable Lease> out = AsyncCall.callerOf(acquiring, () -> {});
    acquiring.whenComplete(
        (lease, error) -> {
          if (error != null) {
            Throwable cause = NoAnswer.unwrap(error);
            config.trace().end(cause);
            out.completeExceptionally(cause);
          } else if (lease == null) {
            config.trace().end(null);
            out.complete(null);
          } else if (!out.complete(lease)) {
            // the caller gave up just as the lease arrived: nobody else would release it
            finish(lease, new CancellationException("the caller cancelled its acquisition"));
          }
        });
    return out;
  }

  @Override
  public LockObservation.Scope enterBody() {
    return config.trace().enterBody();
  }

  @Override
  public <T extends @Nullable Object> CompletableFuture<T> holdUntilComplete(
      Lease lease, CompletionStage<T> stage) {
    CompletableFuture<T> out = new CompletableFuture<>();
    StageHold.hold(
        Checks.notNull(lease, "lease"),
        Checks.notNull(stage, "stage"),
        value -> value,
        config.trace(),
        out);
    return out;
  }

  @Override
  public CompletionStage<Void> finish(@Nullable Lease lease, @Nullable Throwable thrown) {
    return StageHold.finish(lease, thrown, config.trace());
  }
}
