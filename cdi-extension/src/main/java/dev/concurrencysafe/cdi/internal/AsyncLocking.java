package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockSpec;
import jakarta.interceptor.InvocationContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Locks a method returning a {@link CompletionStage} until the stage completes, through the
 * core's {@link LockSpec#callAsync}: the lock is released from whatever thread completes the stage
 * without blocking it, the caller's future completes after the release with the method's own
 * result or exception, and once the method has returned its thread is no longer the holder.
 *
 * <p>Thread-safety: stateless.
 */
final class AsyncLocking {

  private AsyncLocking() {}

  static @Nullable Object proceed(LockSpec spec, InvocationContext ctx, Class<?> returnType)
      throws Exception {
    if (!returnType.isAssignableFrom(CompletableFuture.class)) {
      return proceedKeepingType(spec, ctx);
    }
    AtomicReference<@Nullable CompletionStage<?>> started = new AtomicReference<>();
    CompletionStage<Object> released = spec.callAsync(() -> {
      @SuppressWarnings("unchecked")
      CompletionStage<Object> stage = (CompletionStage<Object>) ctx.proceed();
      started.set(stage);
      return stage;
    });
    // cancelling the caller's future cancels the method's own, whose completion then releases
    CompletionStage<?> original = started.get();
    if (original instanceof CompletableFuture<?> work && released instanceof CompletableFuture<?> caller) {
      caller.whenComplete((value, error) -> {
        if (caller.isCancelled()) {
          work.cancel(true);
        }
      });
    }
    return released;
  }

  /**
   * For a declared CompletionStage subtype the core's future cannot stand in for: the method's own
   * stage is returned and the lease closed when it completes (on the common pool, because closing
   * waits for Redis and must not block a client's event-loop thread).
   */
  private static @Nullable Object proceedKeepingType(LockSpec spec, InvocationContext ctx)
      throws Exception {
    Lease lease = spec.acquire();
    Object result;
    try {
      result = ctx.proceed();
    } catch (Exception | Error e) {
      lease.close();
      throw e;
    }
    if (result == null) {
      lease.close();
      return null;
    }
    ((CompletionStage<?>) result).whenComplete(
        (value, error) -> ForkJoinPool.commonPool().execute(lease::close));
    return result;
  }
}
