package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.integration.ObservedCall;
import jakarta.interceptor.InvocationContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Locks a method returning a {@link CompletionStage} until the stage completes. The lock is
 * acquired on the caller's thread and the method runs there, with the caller's CDI contexts (a
 * request-scoped bean the method uses is the caller's); a refusal is thrown to the caller as for
 * any intercepted method. The core's {@link ObservedCall#holdUntilComplete} then keeps the lease
 * until the stage completes and releases it without blocking the completing thread; the caller's
 * future completes after the release with the method's own result or exception, and cancelling it
 * cancels the method's work. The lease does not make the caller's thread the holder: once the
 * method returned, that thread may serve other requests, and a same-key call on it is a duplicate.
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
    SkipResult skip = settings.skip();
    ObservedCall call = ObservedCall.start(spec, "intercept", skip != null);
    Lease lease = call.acquire();
    if (lease == null) {
      return skip == null ? null : skip.value(); // skipped: acquire() ended the call
    }
    Object own;
    try (LockObservation.Scope scope = call.enterBody()) {
      own = ctx.proceed();
    } catch (Exception | Error e) {
      lease.close();
      call.finish(null, e);
      throw e;
    }
    if (own == null) {
      lease.close();
      NullPointerException missing =
          new NullPointerException(
              settings.where()
                  + " returned null instead of a "
                  + settings.returnType().getSimpleName()
                  + "; the lock was released");
      call.finish(null, missing);
      throw missing;
    }
    @SuppressWarnings("unchecked")
    CompletionStage<Object> stage = (CompletionStage<Object>) own;
    CompletableFuture<Object> released = call.holdUntilComplete(lease, stage);
    // A declared CompletionStage subtype the core's CompletableFuture cannot stand in for gets the
    // method's own stage back; the lock is still released when that stage completes.
    return settings.returnType().isAssignableFrom(CompletableFuture.class) ? released : own;
  }
}
