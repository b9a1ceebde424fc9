package dev.concurrencysafe.internal;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockObservation;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous verbs' glue between an acquisition stage and the caller's stage: runs the body
 * once the lease is there, then {@link StageHold} holds the lease until the body's stage completes.
 * Cancelling the caller's stage reaches whatever is in progress: the acquisition (which then leaves
 * nothing behind) or the body's work.
 *
 * <p>Thread-safety: stateless; each call's state is confined to its stages.
 */
final class AsyncCall {

  private AsyncCall() {}

  /**
   * @param ran maps the body stage's value to the caller's (may throw, e.g. for a null value)
   * @param skipped the caller's value when the acquisition skipped (completed with null)
   */
  static <T extends @Nullable Object, R extends @Nullable Object> CompletableFuture<R> start(
      LockEngine engine,
      CompletableFuture<@Nullable Lease> acquiring,
      LockConfig config,
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body,
      String verb,
      Function<T, R> ran,
      Supplier<R> skipped) {
    CallTrace trace = config.trace();
    CompletableFuture<R> out = callerOf(acquiring, () -> trace.end(new CancellationException()));
    acquiring.whenComplete(
        (lease, error) -> {
          if (error != null) {
            StageHold.complete(out, trace, null, NoAnswer.unwrap(error));
          } else if (lease == null) {
            StageHold.complete(out, trace, skipped.get(), null);
          } else if (out.isDone()) {
            lease.closeAsync(); // cancelled while the lease was on its way
          } else {
            runBody(engine, lease, body, config.key(), verb, trace, out, ran);
          }
        });
    return out;
  }

  /**
   * Runs the stage supplier with this thread as the lease's holder (a nested same-key call inside
   * it joins) and the trace's scopes open; once it returned, no thread holds the key.
   */
  private static <T extends @Nullable Object, R extends @Nullable Object> void runBody(
      LockEngine engine,
      Lease lease,
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body,
      String key,
      String verb,
      CallTrace trace,
      CompletableFuture<R> out,
      Function<T, R> ran) {
    CompletionStage<T> stage;
    LeaseImpl held = engine.enterBody(lease);
    try (LockObservation.Scope scope = trace.enterBody()) {
      stage = body.call();
    } catch (Exception | Error e) {
      StageHold.fail(lease, e, trace, out);
      return;
    } finally {
      engine.exitBody(held);
    }
    if (stage == null) {
      StageHold.fail(
          lease,
          new NullPointerException(
              "body must return a CompletionStage, but"
                  + " returned null ("
                  + verb
                  + " on key '"
                  + key
                  + "'; the lock was released)"),
          trace,
          out);
      return;
    }
    StageHold.hold(lease, stage, ran, trace, out);
  }

  /**
   * The caller's future for {@code acquiring}: cancelling it cancels the acquisition (which gives
   * back whatever it still gets) and runs {@code onCancel}.
   */
  static <R extends @Nullable Object> CompletableFuture<R> callerOf(
      CompletableFuture<?> acquiring, Runnable onCancel) {
    CompletableFuture<R> out = new CompletableFuture<>();
    out.whenComplete(
        (value, error) -> {
          if (out.isCancelled()) {
            acquiring.cancel(false);
            onCancel.run();
          }
        });
    return out;
  }

  /** A skip-when-busy verb's result: null would read as "did not run", so it is an error. */
  static <T> T present(@Nullable T value, String verb, String key) {
    if (value == null) {
      throw new NullPointerException(
          verb
              + "'s body returned null for key '"
              + key
              + "' (it ran"
              + " and the lock was released), but an empty Optional means \"did not run\": return a"
              + " value, or use tryRun for a body without a result");
    }
    return value;
  }

  /** {@code acquiring} for a caller that closes the lease itself: the call ends at that close. */
  static CompletableFuture<@Nullable Lease> handOut(
      CompletableFuture<@Nullable Lease> acquiring, CallTrace trace) {
    acquiring.whenComplete(
        (lease, error) -> trace.end(error == null ? null : NoAnswer.unwrap(error)));
    return acquiring;
  }

  /** {@code acquiring} as an Optional (empty: skipped), passing cancellation back to it. */
  static CompletableFuture<Optional<Lease>> optional(
      CompletableFuture<@Nullable Lease> acquiring, CallTrace trace) {
    CompletableFuture<Optional<Lease>> out =
        callerOf(acquiring, () -> trace.end(new CancellationException()));
    acquiring.whenComplete(
        (lease, error) -> {
          if (error != null) {
            StageHold.complete(out, trace, null, NoAnswer.unwrap(error));
          } else if (!StageHold.complete(out, trace, Optional.ofNullable(lease), null)
              && lease != null) {
            lease.closeAsync(); // cancelled while the lease was on its way
          }
        });
    return out;
  }
}
