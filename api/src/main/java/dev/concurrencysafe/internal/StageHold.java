package dev.concurrencysafe.internal;

import dev.concurrencysafe.Lease;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Holding a lease until a stage completes, the one way: {@code callAsync}, the CDI interceptor's
 * methods returning a {@code CompletionStage} and the Kotlin suspending verbs (through {@link
 * ObservedCallImpl#finish}) all end a call here. The lease is released without blocking whatever
 * thread completes the stage (maybe a client's event loop); the call's trace ends with what the
 * caller receives; the caller's stage completes after the release, so an immediate retry is not
 * refused.
 *
 * <p>Thread-safety: stateless; each call's state is confined to its stages.
 */
final class StageHold {

  private StageHold() {}

  /**
   * Holds {@code lease} until {@code stage} completes, then releases it and completes {@code out}
   * with {@code ran} applied to the stage's value (which may throw) or with the stage's error.
   * Cancelling {@code out} cancels the stage's work if it is a {@link CompletableFuture}; its
   * completion then releases the lease.
   */
  static <T extends @Nullable Object, R extends @Nullable Object> void hold(
      Lease lease,
      CompletionStage<T> stage,
      Function<T, R> ran,
      CallTrace trace,
      CompletableFuture<R> out) {
    if (stage instanceof CompletableFuture<?> work) {
      out.whenComplete(
          (value, error) -> {
            if (out.isCancelled()) {
              work.cancel(true);
            }
          });
    }
    stage.whenComplete(
        (value, error) ->
            release(lease)
                .whenComplete(
                    (released, never) -> {
                      if (error != null) {
                        complete(out, trace, null, NoAnswer.unwrap(error));
                        return;
                      }
                      R mapped;
                      try {
                        mapped = ran.apply(value);
                      } catch (RuntimeException e) {
                        complete(out, trace, null, e);
                        return;
                      }
                      complete(out, trace, mapped, null);
                    }));
  }

  /** The call failed while holding {@code lease}: releases it, then fails {@code out}. */
  static void fail(Lease lease, Throwable error, CallTrace trace, CompletableFuture<?> out) {
    release(lease).whenComplete((released, never) -> complete(out, trace, null, error));
  }

  /**
   * Releases {@code lease} (if any) without blocking, then ends the trace with {@code thrown}; the
   * stage completes, never exceptionally, after both.
   */
  static CompletableFuture<Void> finish(
      @Nullable Lease lease, @Nullable Throwable thrown, CallTrace trace) {
    CompletableFuture<Void> released =
        lease == null ? CompletableFuture.completedFuture(null) : release(lease);
    return released.whenComplete((done, never) -> trace.end(thrown));
  }

  /**
   * Ends the trace with what {@code out} is about to carry, then completes it; false if {@code out}
   * was already done (cancelled by the caller, whose cancellation ended the trace).
   */
  @SuppressWarnings("unchecked") // value is an R or null with an error
  static <R extends @Nullable Object> boolean complete(
      CompletableFuture<R> out,
      CallTrace trace,
      @Nullable Object value,
      @Nullable Throwable error) {
    if (out.isDone()) {
      trace.end(out.isCancelled() ? new CancellationException() : null);
      return false;
    }
    trace.end(error);
    return error != null ? out.completeExceptionally(error) : out.complete((R) value);
  }

  private static CompletableFuture<Void> release(Lease lease) {
    return lease.closeAsync().toCompletableFuture();
  }
}
