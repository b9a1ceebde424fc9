package dev.concurrencysafe.opentelemetry.cdi;

import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.opentelemetry.LockTracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Lock spans whose OpenTelemetry is looked up at the first lock call, not when the bean is made:
 * the CDI extension builds the manager as the container starts, when a framework's OpenTelemetry
 * bean may not exist yet (Quarkus creates it at runtime init, after the container's static init).
 *
 * <p>Thread-safety: thread-safe; the first callers may race to build the delegate, one wins.
 */
final class LazyTracing implements LockInstrumentation {

  private static final Logger LOG = Logger.getLogger(LockTracingProducer.class.getName());

  private final @Nullable Supplier<OpenTelemetry> bean;
  private final boolean recordFormattedKey;
  private volatile @Nullable LockTracing delegate;

  /**
   * @param bean the OpenTelemetry bean's lookup, or null to use GlobalOpenTelemetry
   */
  LazyTracing(@Nullable Supplier<OpenTelemetry> bean, boolean recordFormattedKey) {
    this.bean = bean;
    this.recordFormattedKey = recordFormattedKey;
  }

  @Override
  public LockObservation start(LockCall call) {
    LockTracing tracing = delegate;
    if (tracing == null) {
      tracing = resolve();
    }
    return tracing.start(call);
  }

  private synchronized LockTracing resolve() {
    LockTracing tracing = delegate;
    if (tracing == null) {
      Supplier<OpenTelemetry> lookup = bean;
      OpenTelemetry source = lookup == null ? GlobalOpenTelemetry.getOrNoop() : lookup.get();
      tracing = LockTracing.builder(source).recordFormattedKey(recordFormattedKey).build();
      LOG.log(
          Level.FINE,
          "concurrency-safe: lock spans through {0} ({1})",
          new Object[] {
            lookup == null ? "GlobalOpenTelemetry" : "the OpenTelemetry bean", tracing
          });
      delegate = tracing;
    }
    return tracing;
  }

  @Override
  public String toString() {
    return "LazyTracing["
        + (bean == null ? "GlobalOpenTelemetry" : "OpenTelemetry bean")
        + ", recordFormattedKey="
        + recordFormattedKey
        + "]";
  }
}
