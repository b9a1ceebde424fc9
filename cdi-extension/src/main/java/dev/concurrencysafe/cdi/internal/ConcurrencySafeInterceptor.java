package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Runs {@link ConcurrencySafe} methods through the core's lock manager: {@code call} for ordinary
 * methods, and for methods returning a {@code CompletionStage} a lease held until the stage
 * completes. Settings come from the deployment-time cache; a call only reads its arguments.
 *
 * <p>Priority {@code PLATFORM_AFTER + 5} (before MicroProfile Fault Tolerance), configurable with
 * {@code concurrency-safe.interceptor-priority}.
 *
 * <p>Thread-safety: stateless apart from the injected extension; safe for concurrent calls.
 */
@ConcurrencySafe
@Interceptor
@Priority(GlobalSettings.DEFAULT_PRIORITY)
public class ConcurrencySafeInterceptor {

  @Inject
  ConcurrencySafeExtension extension;

  @AroundInvoke
  Object lock(InvocationContext ctx) throws Exception {
    MethodSettings settings = extension.settings(ctx.getMethod());
    if (!settings.enabled()) {
      return ctx.proceed();
    }
    var spec = settings.spec(extension.manager(), ctx.getParameters());
    if (settings.async()) {
      return AsyncLocking.proceed(spec, ctx, settings.returnType());
    }
    return spec.call(ctx::proceed);
  }
}
