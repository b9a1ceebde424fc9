package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockSpec;
import jakarta.interceptor.InvocationContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Locks a method returning a {@link CompletionStage} until the stage completes, through the
 * core's {@link LockSpec#callAsync}: the lock is released from whatever thread completes the stage
 * without blocking it, the caller's future completes after the release with the method's own
 * result or exception (cancelling it cancels the method's work), and once the method has returned
 * its thread is no longer the holder.
 *
 * <p>Thread-safety: stateless.
 */
final class AsyncLocking {

  private AsyncLocking() {}

  static @Nullable Object proceed(LockSpec spec, InvocationContext ctx, Class<?> returnType)
      throws Exception {
    AtomicReference<@Nullable Object> own = new AtomicReference<>();
    CompletionStage<Object> released = spec.callAsync(() -> {
      Object stage = ctx.proceed();
      own.set(stage);
      @SuppressWarnings("unchecked")
      CompletionStage<Object> typed = (CompletionStage<Object>) stage;
      return typed;
    });
    // A declared CompletionStage subtype the core's CompletableFuture cannot stand in for gets the
    // method's own stage back; the lock is still released when that stage completes.
    return returnType.isAssignableFrom(CompletableFuture.class) ? released : own.get();
  }
}
