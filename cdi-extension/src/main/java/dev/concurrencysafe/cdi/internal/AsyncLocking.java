package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockSpec;
import jakarta.interceptor.InvocationContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Locks a method returning a {@link CompletionStage} until the stage completes. The lock is
 * acquired on the caller's thread and the method runs there, with the caller's CDI contexts (a
 * request-scoped bean the method uses is the caller's); a refusal is thrown to the caller as for
 * any intercepted method. The lock is then released from whatever thread completes the stage,
 * without blocking it ({@link Lease#closeAsync()}); the caller's future completes after the release
 * with the method's own result or exception, and cancelling it cancels the method's work. The
 * lease does not make the caller's thread the holder: once the method returned, that thread may
 * serve other requests, and a same-key call on it is a duplicate.
 *
 * <p>Why not the core's fully asynchronous {@code callAsync}: it would run the method on another
 * thread once the lock is granted, where the caller's request context is not active.
 *
 * <p>Thread-safety: stateless.
 */
final class AsyncLocking {

  private AsyncLocking() {}

  static @Nullable Object proceed(LockSpec spec, InvocationContext ctx, MethodSettings settings)
      throws Exception {
    Lease lease;
    SkipResult skip = settings.skip();
    if (skip != null) {
      Optional<Lease> free = spec.tryAcquire();
      if (free.isEmpty()) {
        return skip.value();
      }
      lease = free.get();
    } else {
      lease = spec.acquire();
    }
    Object own;
    try {
      own = ctx.proceed();
    } catch (Exception | Error e) {
      lease.close();
      throw e;
    }
    if (own == null) {
      lease.close();
      throw new NullPointerException(settings.where() + " returned null instead of a "
          + settings.returnType().getSimpleName() + "; the lock was released");
    }
    @SuppressWarnings("unchecked")
    CompletionStage<Object> stage = (CompletionStage<Object>) own;
    CompletableFuture<Object> released = new CompletableFuture<>();
    if (own instanceof CompletableFuture<?> work) {
      // cancelling the caller's future cancels the work, whose completion then releases the lock
      released.whenComplete((result, error) -> {
        if (released.isCancelled()) {
          work.cancel(true);
        }
      });
    }
    stage.whenComplete((result, error) -> lease.closeAsync().whenComplete((done, never) -> {
      if (error != null) {
        released.completeExceptionally(error);
      } else {
        released.complete(result);
      }
    }));
    // A declared CompletionStage subtype the core's CompletableFuture cannot stand in for gets the
    // method's own stage back; the lock is still released when that stage completes.
    return settings.returnType().isAssignableFrom(CompletableFuture.class) ? released : own;
  }
}
