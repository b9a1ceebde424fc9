package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.LockSpec;
import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link ConcurrencySafe} methods through the core's lock manager: {@code call} for ordinary
 * methods ({@code tryCall} with {@code onBusy = SKIP}), and for methods returning a {@code
 * CompletionStage} a lease held until the stage completes. Settings come from the {@link
 * ConcurrencySafeRuntime} an extension prepared at deployment, injected like any bean (no
 * container-specific lookup); a call only reads its arguments. Without a prepared runtime the call
 * fails closed with {@code CSCDI013} and the method does not run: a lock that silently does not
 * apply would let duplicates through.
 *
 * <p>Priority {@code PLATFORM_AFTER + 5} (before MicroProfile Fault Tolerance), configurable with
 * {@code concurrency-safe.interceptor-priority}.
 *
 * <p>Thread-safety: stateless apart from the cached runtime (idempotently re-read); safe for
 * concurrent calls.
 */
@ConcurrencySafe
@Interceptor
@Priority(GlobalSettings.DEFAULT_PRIORITY)
public class ConcurrencySafeInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * {@code Instance}, not the bean itself: a missing runtime is a clear call-time error, not an
   * obscure deployment one.
   */
  @Inject @Nullable Instance<ConcurrencySafeRuntime> runtimes;

  /** Transient so beans of passivating scopes (session, conversation) may use the annotation. */
  private transient @Nullable ConcurrencySafeRuntime runtime;

  @AroundInvoke
  public @Nullable Object lock(InvocationContext ctx) throws Exception {
    ConcurrencySafeRuntime prepared = runtime(ctx);
    MethodSettings settings = prepared.settings(ctx.getMethod(), ctx.getTarget());
    if (!settings.enabled()) {
      return ctx.proceed();
    }
    // the method's template (reported to instrumentations as "intercept") with this call's key
    LockSpec spec = settings.spec(prepared.manager(), ctx.getParameters());
    if (settings.async()) {
      return AsyncLocking.proceed(spec, ctx, settings);
    }
    SkipResult skip = settings.skip();
    if (skip != null) {
      // a holder, so that a null result (void) is not mistaken for "did not run"
      Optional<Ran> ran = spec.tryCall(() -> new Ran(ctx.proceed()));
      return ran.isPresent() ? ran.get().result() : skip.value();
    }
    return spec.call(ctx::proceed);
  }

  /** What a skip-when-busy method returned when it ran. */
  private record Ran(@Nullable Object result) {}

  private ConcurrencySafeRuntime runtime(InvocationContext ctx) {
    ConcurrencySafeRuntime current = runtime;
    if (current != null) {
      return current;
    }
    Instance<ConcurrencySafeRuntime> candidates = runtimes;
    if (candidates == null || !candidates.isResolvable()) {
      throw new IllegalStateException(
          Problems.NOT_PREPARED
              + " "
              + ctx.getMethod().getDeclaringClass().getName()
              + "#"
              + ctx.getMethod().getName()
              + ": the @ConcurrencySafe interceptor is active but no"
              + " concurrency-safe extension prepared it, so the lock cannot be applied and the method was not"
              + " run. Fix: "
              + Problems.PREPARE_FIX);
    }
    current = candidates.get();
    runtime = current;
    return current;
  }
}
