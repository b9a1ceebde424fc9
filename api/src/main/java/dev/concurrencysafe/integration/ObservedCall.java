package dev.concurrencysafe.integration;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockKey;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.internal.ObservedCallImpl;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One lock call driven by an integration rather than by a {@link LockSpec} verb (the CDI
 * interceptor's methods returning a {@code CompletionStage}, Kotlin's suspending verbs), seen by
 * the manager's {@link LockInstrumentation}s exactly like a verb's call: {@link #start} on the
 * caller's thread, the acquisition's events, {@link #enterBody} around every stretch of the body,
 * and the end with what the caller receives, once, after the release.
 *
 * <p>Either {@link #acquire} or {@link #acquireAsync} is called once; if it throws (or its stage
 * fails) the call has ended. Otherwise the integration ends it with {@link #holdUntilComplete} or
 * {@link #finish}.
 *
 * <p>Thread-safety: thread-safe; one call's methods may run on different threads, one at a time.
 */
public interface ObservedCall {

  /**
   * A spec whose verbs are reported to instrumentations as {@code verb}, e.g. {@code intercept}.
   */
  static LockSpec reportedAs(LockSpec spec, String verb) {
    return ObservedCallImpl.reportedAs(spec, verb);
  }

  /**
   * {@code template} with the key {@code key.format(args)} (escaped and checked like {@link
   * dev.concurrencysafe.LockManager#with(LockKey, Object...)}) and every other setting kept, the
   * ttl included: for integrations that build a spec once per method and only format the key per
   * call.
   */
  static LockSpec keyed(LockSpec template, LockKey key, @Nullable Object... args) {
    return ObservedCallImpl.keyed(template, key, args);
  }

  /**
   * Starts a call of {@code spec} named {@code verb}.
   *
   * @param skipWhenBusy true if a key still held after the wait skips the body (the acquisition
   *     gives null) rather than failing with the spec's refusal
   * @throws IllegalArgumentException if {@code spec} was not made by a {@code LockManager}
   */
  static ObservedCall start(LockSpec spec, String verb, boolean skipWhenBusy) {
    return ObservedCallImpl.start(spec, verb, skipWhenBusy);
  }

  /** Acquires, blocking like {@link LockSpec#acquire()}; null when skipped (the call has ended). */
  @Nullable Lease acquire();

  /** Acquires like {@link LockSpec#acquireAsync()}; null when skipped (the call has ended). */
  CompletableFuture<@Nullable Lease> acquireAsync();

  /** Makes the call's observations' context current on this thread until the scope is closed. */
  LockObservation.Scope enterBody();

  /**
   * Holds {@code lease} until {@code stage} completes, releases it without blocking, ends the call
   * and then completes the returned future with the stage's outcome. Cancelling the returned future
   * cancels {@code stage} if it is a {@link CompletableFuture}.
   */
  <T extends @Nullable Object> CompletableFuture<T> holdUntilComplete(
      Lease lease, CompletionStage<T> stage);

  /**
   * Releases {@code lease} (if not null) without blocking and ends the call with {@code thrown},
   * what the caller receives (null: a normal return); completes, never exceptionally, after both.
   */
  CompletionStage<Void> finish(@Nullable Lease lease, @Nullable Throwable thrown);
}
