package dev.concurrencysafe.internal;

import dev.concurrencysafe.CheckedCallable;
import dev.concurrencysafe.Lease;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous verbs' glue between an acquisition stage and the caller's stage: runs the body
 * once the lease is there, holds the lease until the body's stage completes, releases without
 * blocking, and completes the caller's stage after the release. Cancelling the caller's stage
 * reaches whatever is in progress: the acquisition (which then leaves nothing behind) or the
 * body's work.
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
      LockEngine engine, CompletableFuture<@Nullable Lease> acquiring,
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body, String key,
      String verb, Function<T, R> ran, Supplier<R> skipped) {
    CompletableFuture<R> out = new CompletableFuture<>();
    AtomicReference<@Nullable CompletableFuture<?>> work = new AtomicReference<>();
    out.whenComplete((value, error) -> {
      if (out.isCancelled()) {
        acquiring.cancel(false);
        CompletableFuture<?> started = work.get();
        if (started != null) {
          started.cancel(true); // its completion then releases the lock
        }
      }
    });
    acquiring.whenComplete((lease, error) -> {
      if (error != null) {
        out.completeExceptionally(NoAnswer.unwrap(error));
      } else if (lease == null) {
        out.complete(skipped.get());
      } else if (out.isDone()) {
        lease.closeAsync(); // cancelled while the lease was on its way
      } else {
        runBody(engine, lease, body, key, verb, work, out, ran);
      }
    });
    return out;
  }

  private static <T extends @Nullable Object, R extends @Nullable Object> void runBody(
      LockEngine engine, Lease lease,
      CheckedCallable<? extends CompletionStage<T>, ? extends Exception> body, String key,
      String verb, AtomicReference<@Nullable CompletableFuture<?>> work, CompletableFuture<R> out,
      Function<T, R> ran) {
    CompletionStage<T> stage;
    LeaseImpl held = engine.enterBody(lease);
    try {
      stage = body.call();
    } catch (Exception | Error e) {
      lease.closeAsync().whenComplete((released, never) -> out.completeExceptionally(e));
      return;
    } finally {
      engine.exitBody(held);
    }
    if (stage == null) {
      lease.closeAsync().whenComplete((released, never) -> out.completeExceptionally(
          new NullPointerException("body must return a CompletionStage, but returned null (" + verb
              + " on key '" + key + "'; the lock was released)")));
      return;
    }
    if (stage instanceof CompletableFuture<?> started) {
      work.set(started);
      if (out.isCancelled()) {
        started.cancel(true);
      }
    }
    // Release without blocking whatever thread completes the stage (maybe an event loop), and
    // complete the caller's stage only after the release, so an immediate retry is not refused.
    stage.whenComplete((value, error) -> lease.closeAsync().whenComplete((released, never) -> {
      if (error != null) {
        out.completeExceptionally(NoAnswer.unwrap(error));
        return;
      }
      try {
        out.complete(ran.apply(value));
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    }));
  }

  /** A skip-when-busy verb's result: null would read as "did not run", so it is an error. */
  static <T> T present(@Nullable T value, String verb, String key) {
    if (value == null) {
      throw new NullPointerException(verb + "'s body returned null for key '" + key + "' (it ran"
          + " and the lock was released), but an empty Optional means \"did not run\": return a"
          + " value, or use tryRun for a body without a result");
    }
    return value;
  }

  /** {@code acquiring} as an Optional (empty: skipped), passing cancellation back to it. */
  static CompletableFuture<Optional<Lease>> optional(CompletableFuture<@Nullable Lease> acquiring) {
    CompletableFuture<Optional<Lease>> out = new CompletableFuture<>();
    out.whenComplete((value, error) -> {
      if (out.isCancelled()) {
        acquiring.cancel(false);
      }
    });
    acquiring.whenComplete((lease, error) -> {
      if (error != null) {
        out.completeExceptionally(NoAnswer.unwrap(error));
      } else if (!out.complete(Optional.ofNullable(lease)) && lease != null) {
        lease.closeAsync();
      }
    });
    return out;
  }
}
