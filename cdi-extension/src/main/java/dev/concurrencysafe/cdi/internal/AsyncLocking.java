package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockSpec;
import jakarta.interceptor.InvocationContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Locks a method returning a {@link CompletionStage} until the stage completes.
 *
 * <p>The lease is acquired on a fresh short-lived thread, not on the caller's: the core lets a
 * thread that holds a lease join it with a nested {@code with(sameKey)} (reentrancy), and an
 * async method's lease outlives the call, so a pooled caller thread that made an async call and
 * moved on would otherwise join, and so bypass, its own still-running lock on the next request
 * with the same key. The lease is closed from the thread that completes the stage (ownership is
 * not thread-bound), but on the common pool, so a release never blocks a client's event-loop thread.
 *
 * <p>Thread-safety: stateless.
 */
final class AsyncLocking {

  /**
   * One new thread per acquisition: it ends afterwards, so nothing can ever join its leases. A
   * virtual thread where the runtime has them (JDK 21+, about 1 us), else a platform daemon thread
   * (about 0.1-0.4 ms).
   */
  private static final Executor FRESH_THREAD = freshThreadExecutor();

  private static Executor freshThreadExecutor() {
    try {
      MethodHandle startVirtual = MethodHandles.publicLookup().findStatic(Thread.class,
          "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class));
      return task -> {
        try {
          startVirtual.invoke(task);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Throwable e) {
          throw new IllegalStateException("could not start a virtual thread", e);
        }
      };
    } catch (NoSuchMethodException | IllegalAccessException beforeJdk21) {
      return task -> {
        Thread thread = new Thread(task, "concurrency-safe-async-acquire");
        thread.setDaemon(true);
        thread.start();
      };
    }
  }

  private AsyncLocking() {}

  static Object proceed(LockSpec spec, InvocationContext ctx, Class<?> returnType) throws Exception {
    Lease lease = acquireDetached(spec);
    Object result;
    try {
      result = ctx.proceed();
    } catch (Throwable t) {
      lease.close();
      throw t;
    }
    if (result == null) {
      lease.close();
      return null;
    }
    CompletionStage<?> stage = (CompletionStage<?>) result;
    if (!returnType.isAssignableFrom(CompletableFuture.class)) {
      // a CompletionStage subtype we cannot re-create: release when it completes
      stage.whenComplete((value, error) -> ForkJoinPool.commonPool().execute(lease::close));
      return stage;
    }
    // The caller sees completion (with the same value or exception) only after the release, so an
    // immediate retry is not blocked by its own finished call.
    CompletableFuture<Object> released = new CompletableFuture<>();
    stage.whenComplete((value, error) -> ForkJoinPool.commonPool().execute(() -> {
      lease.close();
      if (error == null) {
        released.complete(value);
      } else {
        released.completeExceptionally(error);
      }
    }));
    if (stage instanceof CompletableFuture<?> future) {
      released.whenComplete((value, error) -> {
        if (released.isCancelled()) {
          future.cancel(true);
        }
      });
    }
    return released;
  }

  /**
   * Acquires on a fresh thread and waits for it. Waiting is uninterruptible but bounded by the
   * spec's wait timeout plus the manager's unavailable timeout.
   */
  private static Lease acquireDetached(LockSpec spec) {
    try {
      return CompletableFuture.supplyAsync(spec::acquire, FRESH_THREAD).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
