package dev.concurrencysafe.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.LockCall;
import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.LockObservation;
import dev.concurrencysafe.LockUnavailableException;
import dev.concurrencysafe.spi.StoreRefusedException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The span of one lock call as the instrumentation builds it from the hook's calls, in the order
 * {@link LockObservation} documents them (the engine's own calls are covered by the Redis and
 * in-memory tests).
 */
class LockTracingTest {

  @RegisterExtension static final OpenTelemetryExtension OTEL = OpenTelemetryExtension.create();

  private static final String KEY = "user-1:ticket-9";
  private static final String KEY_NAME = "ShopKey.PURCHASE";

  private final LockTracing tracing = LockTracing.create(OTEL.getOpenTelemetry());
  private final Tracer tracer = OTEL.getOpenTelemetry().getTracer("test");

  @Test
  void anAcquiredCallIsAChildOfTheCurrentSpanAndTheParentOfTheBodysSpans() {
    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      LockObservation observation = tracing.start(call(Duration.ZERO));
      observation.onEvent(event(LockEvent.Type.ACQUIRED, 42, Duration.ofMillis(250), null));
      try (LockObservation.Scope body = observation.enterBody()) {
        tracer.spanBuilder("body").startSpan().end();
      }
      observation.onEvent(event(LockEvent.Type.RELEASED, 42, Duration.ofMillis(1500), null));
      observation.end(null);
    }
    request.end();

    SpanData lock = only("lock " + KEY_NAME);
    assertEquals(span("request").getSpanId(), lock.getParentSpanId());
    assertEquals(lock.getSpanId(), span("body").getParentSpanId());
    assertEquals(SpanKind.INTERNAL, lock.getKind());
    assertEquals(StatusCode.UNSET, lock.getStatus().getStatusCode());
    assertEquals("acquired", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(KEY_NAME, lock.getAttributes().get(LockAttributes.KEY_NAME));
    assertEquals("run", lock.getAttributes().get(LockAttributes.VERB));
    assertEquals(42L, lock.getAttributes().get(LockAttributes.FENCING_TOKEN));
    assertEquals(0.25, lock.getAttributes().get(LockAttributes.WAIT_DURATION));
    assertEquals(1.5, lock.getAttributes().get(LockAttributes.HELD_DURATION));
    assertEquals(30.0, lock.getAttributes().get(LockAttributes.TTL));
    assertEquals(false, lock.getAttributes().get(LockAttributes.LEASE_LOST));
    assertNull(lock.getAttributes().get(LockAttributes.COOLDOWN));
  }

  @Test
  void theBodyScopeRestoresTheCallersContextWhenClosed() {
    Span request = tracer.spanBuilder("request").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      LockObservation observation = tracing.start(call(Duration.ZERO));
      observation.onEvent(event(LockEvent.Type.ACQUIRED, 1, Duration.ZERO, null));
      try (LockObservation.Scope body = observation.enterBody()) {
        assertNotSame(request, Span.current());
      }
      assertSame(request, Span.current());
      observation.end(null);
    }
    request.end();
  }

  @Test
  void aBlockedCallIsAnErrorBecauseTheCallerGetsAnException() {
    LockObservation observation = tracing.start(call(Duration.ZERO));
    observation.onEvent(event(LockEvent.Type.BLOCKED, 0, Duration.ofMillis(100), null));
    observation.end(new ConcurrencyException(KEY, "Please try again in a moment."));

    SpanData lock = only("lock " + KEY_NAME);
    assertEquals("blocked", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(0.1, lock.getAttributes().get(LockAttributes.WAIT_DURATION));
    assertNull(lock.getAttributes().get(LockAttributes.FENCING_TOKEN));
    assertEquals(StatusCode.ERROR, lock.getStatus().getStatusCode());
    assertEquals(
        ConcurrencyException.class.getName(), lock.getAttributes().get(LockAttributes.ERROR_TYPE));
    assertEquals(List.of("exception"), eventNames(lock));
  }

  @Test
  void aSkippedCallIsNotAnError() {
    LockObservation observation = tracing.start(call(Duration.ZERO));
    observation.onEvent(event(LockEvent.Type.SKIPPED, 0, Duration.ZERO, null));
    observation.end(null);

    SpanData lock = only("lock " + KEY_NAME);
    assertEquals("skipped", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(StatusCode.UNSET, lock.getStatus().getStatusCode());
    assertTrue(lock.getEvents().isEmpty());
  }

  @Test
  void anUnreachableStoreIsUnavailableAndARefusalIsRefused() {
    RuntimeException timeout = new IllegalStateException("Command execution timeout for " + KEY);
    LockObservation unreachable = tracing.start(call(Duration.ZERO));
    unreachable.onEvent(event(LockEvent.Type.UNAVAILABLE, 0, Duration.ofSeconds(3), timeout));
    unreachable.end(new LockUnavailableException(KEY, "store unreachable", timeout));

    LockObservation refused = tracing.start(call(Duration.ZERO));
    StoreRefusedException refusal =
        new StoreRefusedException("NOPERM no permissions", "check the ACL");
    refused.onEvent(event(LockEvent.Type.UNAVAILABLE, 0, Duration.ofMillis(2), refusal));
    refused.end(new LockUnavailableException(KEY, "store refused", refusal));

    List<SpanData> spans = OTEL.getSpans();
    assertEquals(
        List.of("unavailable", "refused"),
        spans.stream().map(s -> s.getAttributes().get(LockAttributes.OUTCOME)).toList());
    for (SpanData lock : spans) {
      assertEquals(StatusCode.ERROR, lock.getStatus().getStatusCode());
      assertEquals(List.of(LockAttributes.EVENT_STORE_ERROR, "exception"), eventNames(lock));
    }
    assertEquals(
        StoreRefusedException.class.getName(),
        spans
            .get(1)
            .getEvents()
            .get(0)
            .getAttributes()
            .get(io.opentelemetry.api.common.AttributeKey.stringKey("exception.type")));
  }

  @Test
  void aFailOpenRunIsUnavailableButNotAnErrorSinceTheCallerGotNoException() {
    LockObservation observation = tracing.start(call(Duration.ZERO));
    observation.onEvent(
        event(
            LockEvent.Type.UNAVAILABLE,
            0,
            Duration.ofSeconds(3),
            new IllegalStateException("unreachable")));
    observation.end(null);

    SpanData lock = only("lock " + KEY_NAME);
    assertEquals("unavailable", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals(StatusCode.UNSET, lock.getStatus().getStatusCode());
    assertEquals(List.of(LockAttributes.EVENT_STORE_ERROR), eventNames(lock));
  }

  @Test
  void aLostLeaseIsAnAttributeAndAnEventAndACooldownIsRecorded() {
    LockObservation observation = tracing.start(call(Duration.ofSeconds(5)));
    observation.onEvent(event(LockEvent.Type.ACQUIRED, 7, Duration.ZERO, null));
    observation.onEvent(event(LockEvent.Type.LEASE_LOST, 7, Duration.ofSeconds(2), null));
    observation.onEvent(event(LockEvent.Type.RELEASED, 7, Duration.ofSeconds(3), null));
    observation.onEvent(event(LockEvent.Type.COOLDOWN_STARTED, 7, Duration.ofSeconds(2), null));
    observation.end(null);

    SpanData lock = only("lock " + KEY_NAME);
    assertEquals(true, lock.getAttributes().get(LockAttributes.LEASE_LOST));
    assertEquals(5.0, lock.getAttributes().get(LockAttributes.COOLDOWN));
    assertEquals(2.0, lock.getAttributes().get(LockAttributes.COOLDOWN_REMAINING));
    assertEquals(List.of(LockAttributes.EVENT_LEASE_LOST), eventNames(lock));
    assertEquals(StatusCode.UNSET, lock.getStatus().getStatusCode());
  }

  @Test
  void theBodyCanRunOnAnotherThreadAndTheSpanEndsThere() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Span request = tracer.spanBuilder("request").startSpan();
      LockObservation observation;
      try (Scope ignored = request.makeCurrent()) {
        observation = tracing.start(call(Duration.ZERO));
      }
      request.end();
      observation.onEvent(event(LockEvent.Type.ACQUIRED, 3, Duration.ZERO, null));
      CompletableFuture.runAsync(
              () -> {
                try (LockObservation.Scope body = observation.enterBody()) {
                  tracer.spanBuilder("async body").startSpan().end();
                }
                observation.end(null);
              },
              pool)
          .get(10, TimeUnit.SECONDS);

      assertEquals(span("request").getSpanId(), only("lock " + KEY_NAME).getParentSpanId());
      assertEquals(only("lock " + KEY_NAME).getSpanId(), span("async body").getParentSpanId());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theFormattedKeyIsNowhereByDefaultNotEvenInExceptionMessages() {
    failedCall(tracing);
    String everything = OTEL.getSpans().toString();
    assertFalse(everything.contains(KEY), everything);
    assertTrue(everything.contains("<" + KEY_NAME + ">"), everything);
  }

  @Test
  void theFormattedKeyIsRecordedWhenOptedIn() {
    LockTracing withKey =
        LockTracing.builder(OTEL.getOpenTelemetry()).recordFormattedKey(true).build();
    failedCall(withKey);
    assertEquals(KEY, only("lock " + KEY_NAME).getAttributes().get(LockAttributes.KEY));
  }

  @Test
  void withTheNoopApiACallIsNotObservedAtAll() {
    LockTracing noop = LockTracing.create(OpenTelemetry.noop());
    assertSame(LockObservation.NONE, noop.start(call(Duration.ZERO)));
  }

  private void failedCall(LockTracing instrumentation) {
    RuntimeException cause = new IllegalStateException("timeout on EVALSHA [" + KEY + "]");
    LockObservation observation = instrumentation.start(call(Duration.ZERO));
    observation.onEvent(event(LockEvent.Type.UNAVAILABLE, 0, Duration.ofSeconds(3), cause));
    observation.end(new LockUnavailableException(KEY, "unavailable: " + KEY, cause));
  }

  private static LockCall call(Duration cooldown) {
    return new LockCall(
        KEY, KEY_NAME, "run", false, Duration.ofSeconds(30), Duration.ZERO, cooldown);
  }

  private static LockEvent event(
      LockEvent.Type type, long token, Duration duration, @Nullable Throwable error) {
    return new LockEvent(type, KEY, KEY_NAME, token, duration, error);
  }

  private static List<String> eventNames(SpanData span) {
    return span.getEvents().stream().map(EventData::getName).toList();
  }

  private static SpanData only(String name) {
    List<SpanData> spans = OTEL.getSpans().stream().filter(s -> s.getName().equals(name)).toList();
    assertEquals(1, spans.size(), () -> "spans named " + name + ": " + OTEL.getSpans());
    return spans.get(0);
  }

  private static SpanData span(String name) {
    return only(name);
  }
}
