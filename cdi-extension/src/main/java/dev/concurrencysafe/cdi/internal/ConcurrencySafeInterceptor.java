package dev.concurrencysafe.cdi.internal;

import dev.concurrencysafe.cdi.ConcurrencySafe;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link ConcurrencySafe} methods through the core's lock manager: {@code call} for ordinary
 * methods, and for methods returning a {@code CompletionStage} a lease held until the stage
 * completes. Settings come from the deployment-time cache; a call only reads its arguments.
 *
 * <p>Priority {@code PLATFORM_AFTER + 5} (before MicroProfile Fault Tolerance), configurable with
 * {@code concurrency-safe.interceptor-priority}.
 *
 * <p>Thread-safety: stateless apart from the (idempotently re-resolved) extension; safe for
 * concurrent calls.
 */
@ConcurrencySafe
@Interceptor
@Priority(GlobalSettings.DEFAULT_PRIORITY)
public class ConcurrencySafeInterceptor implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Transient so beans of passivating scopes (session, conversation) may use the annotation; after
   * deserialization the extension is looked up again.
   */
  @Inject
  transient @Nullable ConcurrencySafeExtension extension;

  @AroundInvoke
  @Nullable Object lock(InvocationContext ctx) throws Exception {
    ConcurrencySafeExtension extension = extension();
    MethodSettings settings = extension.settings(ctx.getMethod(), ctx.getTarget());
    if (!settings.enabled()) {
      return ctx.proceed();
    }
    var spec = settings.spec(extension.manager(), ctx.getParameters());
    if (settings.async()) {
      return AsyncLocking.proceed(spec, ctx, settings.returnType());
    }
    return spec.call(ctx::proceed);
  }

  private ConcurrencySafeExtension extension() {
    ConcurrencySafeExtension current = extension;
    if (current == null) {
      current = CDI.current().select(ConcurrencySafeExtension.class).get();
      extension = current;
    }
    return current;
  }
}
