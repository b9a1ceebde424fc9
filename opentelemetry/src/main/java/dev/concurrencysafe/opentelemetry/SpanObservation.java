package dev.concurrencysafe.opentelemetry;

import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.spi.StoreRefusedException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.jspecify.annotations.Nullable;

/**
 * One lock call's span: attributes from its events, current while the body runs, ended once.
 *
 * <p>Thread-safety: thread-safe; the span is (OpenTelemetry spans are), the other fields are final.
 */
final class SpanObservation implements LockObservation {

  // OpenTelemetry's exception event and attributes (semantic conventions, stable)
  private static final String EXCEPTION_EVENT = "exception";
  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

  private final Span span;
  private final Context context;
  private final LockCall call;
  private final boolean recordFormattedKey;

  SpanObservation(Span span, Context context, LockCall call, boolean recordFormattedKey) {
    this.span = span;
    this.context = context;
    this.call = call;
    this.recordFormattedKey = recordFormattedKey;
  }

  @Override
  // the engine closes the returned scope on this thread when the body returns or suspends
  @SuppressWarnings("MustBeClosedChecker")
  public Scope enterBody() {
    io.opentelemetry.context.Scope scope = context.makeCurrent();
    return scope::close;
  }

  @Override
  public void onEvent(LockEvent event) {
    double seconds = Seconds.of(event.duration());
    switch (event.type()) {
      case ACQUIRED -> {
        span.setAttribute(LockAttributes.OUTCOME, LockAttributes.ACQUIRED);
        span.setAttribute(LockAttributes.WAIT_DURATION, seconds);
        span.setAttribute(LockAttributes.FENCING_TOKEN, event.fencingToken());
        span.setAttribute(LockAttributes.LEASE_LOST, false);
      }
      case BLOCKED -> outcome(LockAttributes.BLOCKED, seconds);
      case SKIPPED -> outcome(LockAttributes.SKIPPED, seconds);
      case UNAVAILABLE -> {
        Throwable error = event.error();
        outcome(
            refusedByTheStore(error) ? LockAttributes.REFUSED : LockAttributes.UNAVAILABLE,
            seconds);
        if (error != null) {
          // the cause, also when failOpen() runs the body anyway and the caller sees no exception
          span.addEvent(LockAttributes.EVENT_STORE_ERROR, exceptionAttributes(error));
        }
      }
      case LEASE_LOST -> {
        span.setAttribute(LockAttributes.LEASE_LOST, true);
        span.setAttribute(LockAttributes.HELD_DURATION, seconds);
        span.addEvent(
            LockAttributes.EVENT_LEASE_LOST, Attributes.of(LockAttributes.HELD_DURATION, seconds));
      }
      case RENEWAL_FAILED -> {
        Throwable error = event.error();
        span.addEvent(
            LockAttributes.EVENT_RENEWAL_FAILED,
            error == null ? Attributes.empty() : exceptionAttributes(error));
      }
      case RELEASED -> span.setAttribute(LockAttributes.HELD_DURATION, seconds);
      case COOLDOWN_STARTED -> span.setAttribute(LockAttributes.COOLDOWN_REMAINING, seconds);
    }
  }

  /** The engine reports a refusal as unavailable, caused by the store's StoreRefusedException. */
  private static boolean refusedByTheStore(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StoreRefusedException) {
        return true;
      }
    }
    return false;
  }

  private void outcome(String outcome, double waitSeconds) {
    span.setAttribute(LockAttributes.OUTCOME, outcome);
    span.setAttribute(LockAttributes.WAIT_DURATION, waitSeconds);
  }

  @Override
  public void end(@Nullable Throwable thrown) {
    if (thrown != null) {
      // only what the caller receives is an error: a skip, or a failOpen run, is not
      span.setStatus(StatusCode.ERROR, thrown.getClass().getSimpleName());
      span.setAttribute(LockAttributes.ERROR_TYPE, thrown.getClass().getName());
      span.addEvent(EXCEPTION_EVENT, exceptionAttributes(thrown));
    }
    span.end();
  }

  private Attributes exceptionAttributes(Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String message = error.getMessage();
    var attributes =
        Attributes.builder()
            .put(EXCEPTION_TYPE, error.getClass().getName())
            .put(EXCEPTION_STACKTRACE, redact(trace.toString()));
    if (message != null) {
      attributes.put(EXCEPTION_MESSAGE, redact(message));
    }
    return attributes.build();
  }

  /** Store and engine messages may quote the formatted key: show the key name instead. */
  private String redact(String text) {
    if (recordFormattedKey || call.key().isEmpty()) {
      return text;
    }
    return text.replace(call.key(), "<" + call.keyName() + ">");
  }
}
