package dev.concurrencysafe.opentelemetry.cdi;

import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockObservation;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Lock spans in CDI applications with no code: produces a {@link LockInstrumentation} bean, which
 * the concurrency-safe CDI extension registers on the manager it builds, so that
 * {@code @ConcurrencySafe} methods and the DSL get a span per lock call, child of the JAX-RS server
 * span.
 *
 * <p>The spans go through the application's {@link OpenTelemetry} bean (MicroProfile Telemetry:
 * Quarkus {@code quarkus-opentelemetry}, Payara, Helidon, Open Liberty); without one, through
 * {@code GlobalOpenTelemetry} as set when the application starts (for example by the OpenTelemetry
 * Java agent), and otherwise nowhere (the no-op API, at the cost of one span builder per call).
 *
 * <p>MicroProfile Config (or system properties where there is no MP Config):
 *
 * <ul>
 *   <li>{@value #ENABLED} = {@code false} turns lock spans off (default {@code true});
 *   <li>{@value #RECORD_FORMATTED_KEY} = {@code true} also records the formatted key, which may
 *       hold user ids (default {@code false});
 *   <li>{@value #SOURCE} = {@code bean} or {@code global} chooses where spans go when both exist,
 *       for example {@code global} to report through the Java agent in an application whose
 *       framework also has an OpenTelemetry SDK (unset: the bean if there is one, else global).
 * </ul>
 *
 * <p>Thread-safety: stateless; the container calls the producer.
 */
@Dependent
public class LockTracingProducer {

  /** Config key turning lock spans off ({@code false}); default {@code true}. */
  public static final String ENABLED = "concurrency-safe.telemetry.enabled";

  /** Config key recording the formatted key ({@code true}); default {@code false}. */
  public static final String RECORD_FORMATTED_KEY =
      "concurrency-safe.telemetry.record-formatted-key";

  /**
   * Config key choosing the OpenTelemetry bean ({@code bean}) or GlobalOpenTelemetry ({@code
   * global}).
   */
  public static final String SOURCE = "concurrency-safe.telemetry.source";

  private static final Logger LOG = Logger.getLogger(LockTracingProducer.class.getName());

  /** For the container. */
  public LockTracingProducer() {}

  /**
   * The lock spans' instrumentation (looking the OpenTelemetry up at the first lock call, when a
   * framework's runtime-initialised bean exists), or one that observes nothing when {@value
   * #ENABLED} is {@code false} (said once in the log).
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
    // settings now (a bad value fails the start); the OpenTelemetry itself at the first call
    boolean recordFormattedKey = flag(RECORD_FORMATTED_KEY, false);
    return new LazyTracing(
        useBean(openTelemetry.isResolvable()) ? openTelemetry::get : null, recordFormattedKey);
  }

  private static boolean useBean(boolean beanExists) {
    Optional<String> value = Settings.get(SOURCE);
    if (value.isEmpty()) {
      return beanExists;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "global" -> false;
      case "bean" -> {
        if (!beanExists) {
          throw new IllegalStateException(
              SOURCE
                  + "=bean, but the application has no"
                  + " io.opentelemetry.api.OpenTelemetry bean: add MicroProfile Telemetry (e.g."
                  + " quarkus-opentelemetry) or set "
                  + SOURCE
                  + "=global");
        }
        yield true;
      }
      default ->
          throw new IllegalArgumentException(
              SOURCE + " must be bean or global, but was '" + value.get() + "'");
    };
  }

  private static boolean flag(String key, boolean unset) {
    Optional<String> value = Settings.get(key);
    if (value.isEmpty()) {
      return unset;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              key + " must be true or false, but was '" + value.get() + "'");
    };
  }
}
