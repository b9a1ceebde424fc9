package dev.concurrencysafe.opentelemetry.cdi;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.opentelemetry.LockTracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lock spans in CDI applications with no code: produces a {@link LockInstrumentation} bean, which
 * the concurrency-safe CDI extension registers on the manager it builds, so that
 * {@code @ConcurrencySafe} methods and the DSL get a span per lock call, child of the JAX-RS server
 * span.
 *
 * <p>The spans go through the application's {@link OpenTelemetry} bean (MicroProfile Telemetry:
 * Quarkus {@code quarkus-opentelemetry}, Payara, Helidon, Open Liberty); without one, through
 * {@link GlobalOpenTelemetry} as set when the application starts (for example by the OpenTelemetry
 * Java agent), and otherwise nowhere (the no-op API, at the cost of one span builder per call).
 *
 * <p>MicroProfile Config (or system properties where there is no MP Config):
 *
 * <ul>
 *   <li>{@value #ENABLED} = {@code false} turns lock spans off (default {@code true});
 *   <li>{@value #RECORD_FORMATTED_KEY} = {@code true} also records the formatted key, which may
 *       hold user ids (default {@code false}).
 * </ul>
 *
 * <p>Thread-safety: stateless; the container calls the producer.
 */
@Dependent
public class LockTracingProducer {

  /** Config key turning lock spans off ({@code false}); default {@code true}. */
  public static final String ENABLED = "concurrency-safe.telemetry.enabled";
  /** Config key recording the formatted key ({@code true}); default {@code false}. */
  public static final String RECORD_FORMATTED_KEY = "concurrency-safe.telemetry.record-formatted-key";

  private static final Logger LOG = Logger.getLogger(LockTracingProducer.class.getName());

  /** For the container. */
  public LockTracingProducer() {}

  /**
   * The lock spans' instrumentation, or one that observes nothing when {@value #ENABLED} is
   * {@code false} (said once in the log).
   *
   * @throws IllegalArgumentException when a config value is not {@code true} or {@code false}
   */
  @Produces
  @Dependent
  public LockInstrumentation lockTracing(Instance<OpenTelemetry> openTelemetry) {
    if (!flag(ENABLED, true)) {
      LOG.info(() -> "concurrency-safe: lock spans are off (" + ENABLED + "=false)");
      return call -> LockObservation.NONE;
    }
    OpenTelemetry source = openTelemetry.isResolvable() ? openTelemetry.get()
        : GlobalOpenTelemetry.getOrNoop();
    LockTracing tracing =
        LockTracing.builder(source).recordFormattedKey(flag(RECORD_FORMATTED_KEY, false)).build();
    LOG.log(Level.FINE, "concurrency-safe: lock spans through {0} ({1})", new Object[] {
        openTelemetry.isResolvable() ? "the OpenTelemetry bean" : "GlobalOpenTelemetry", tracing});
    return tracing;
  }

  private static boolean flag(String key, boolean unset) {
    Optional<String> value = Settings.get(key);
    if (value.isEmpty()) {
      return unset;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(
          key + " must be true or false, but was '" + value.get() + "'");
    };
  }
}
