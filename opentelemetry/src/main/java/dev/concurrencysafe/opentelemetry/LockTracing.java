package dev.concurrencysafe.opentelemetry;

import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockObservation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import java.util.Objects;

/**
 * A span per lock call, through the OpenTelemetry API. Register it on the manager:
 *
 * <pre>{@code
 * LockManager locks = LockManager.builder()
 *     .instrumentation(LockTracing.create(openTelemetry))
 *     .redisson(client);
 * }</pre>
 *
 * <p>The span ({@value #SPAN_NAME_PREFIX}{@code <key name>}, kind INTERNAL) is a child of the span
 * current when the call begins, covers the wait and the hold, and is current while the body runs,
 * so the body's own spans (a database call, an HTTP client) nest inside it. Its attributes are
 * listed in {@link LockAttributes}; error status is set only where the caller receives an
 * exception. The formatted key (which may hold user ids) is never recorded unless {@link
 * Builder#recordFormattedKey(boolean)} opts in; without it, exception messages that quote the
 * formatted key show the key name in its place.
 *
 * <p>With {@link OpenTelemetry#noop()} (no SDK, no agent) a call costs a field read: no span
 * builder, no context switch. Another tracer that hands back non-recording spans without a span
 * context of their own costs one span builder per call.
 *
 * <p>Thread-safety: immutable and thread-safe; one instance serves every call of a manager.
 */
public final class LockTracing implements LockInstrumentation {

  /** The instrumentation scope name under which lock spans are created. */
  public static final String INSTRUMENTATION_NAME = "dev.concurrencysafe";

  /** Every lock span's name starts with this, followed by the call's key name. */
  public static final String SPAN_NAME_PREFIX = "lock ";

  private final Tracer tracer;
  // the API's own no-op tracer (no SDK, no agent): every call is NONE, without a span builder
  private final boolean noop;
  private final boolean recordFormattedKey;

  private LockTracing(Builder builder) {
    this.tracer = builder.openTelemetry.getTracer(INSTRUMENTATION_NAME);
    this.noop = tracer == TracerProvider.noop().get(INSTRUMENTATION_NAME);
    this.recordFormattedKey = builder.recordFormattedKey;
  }

  /** Lock spans through {@code openTelemetry}, without the formatted key. */
  public static LockTracing create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** A builder for lock spans through {@code openTelemetry}. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /** Whether spans carry the formatted key ({@link LockAttributes#KEY}). */
  public boolean recordsFormattedKey() {
    return recordFormattedKey;
  }

  @Override
  public LockObservation start(LockCall call) {
    if (noop) {
      return LockObservation.NONE;
    }
    Context parent = Context.current();
    SpanBuilder builder =
        tracer
            .spanBuilder(SPAN_NAME_PREFIX + call.keyName())
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(LockAttributes.KEY_NAME, call.keyName())
            .setAttribute(LockAttributes.VERB, call.verb())
            .setAttribute(LockAttributes.SKIP_WHEN_BUSY, call.skipWhenBusy())
            .setAttribute(LockAttributes.TTL, Seconds.of(call.ttl()))
            .setAttribute(LockAttributes.WAIT_TIMEOUT, Seconds.of(call.waitTimeout()));
    if (!call.cooldown().isZero()) {
      builder.setAttribute(LockAttributes.COOLDOWN, Seconds.of(call.cooldown()));
    }
    if (recordFormattedKey) {
      builder.setAttribute(LockAttributes.KEY, call.key());
    }
    Span span = builder.startSpan();
    if (!span.isRecording()
        && span.getSpanContext().equals(Span.fromContext(parent).getSpanContext())) {
      // a no-op tracer hands back the parent: nothing to record and no new context to make current
      return LockObservation.NONE;
    }
    return new SpanObservation(span, parent.with(span), call, recordFormattedKey);
  }

  @Override
  public String toString() {
    return "LockTracing[recordFormattedKey=" + recordFormattedKey + "]";
  }

  /**
   * Options of {@link LockTracing}.
   *
   * <p>Thread-safety: not thread-safe; {@link #build()} copies the settings.
   */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean recordFormattedKey;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /**
     * Also record the formatted key ({@code user-1:ticket-9}) as {@link LockAttributes#KEY}, and
     * leave it in exception messages. Off by default: a formatted key may hold user ids, which a
     * trace backend keeps and shows to everyone who reads traces.
     */
    public Builder recordFormattedKey(boolean recordFormattedKey) {
      this.recordFormattedKey = recordFormattedKey;
      return this;
    }

    /** The instrumentation, to pass to {@code LockManagerBuilder.instrumentation(...)}. */
    public LockTracing build() {
      return new LockTracing(this);
    }
  }
}
