package dev.concurrencysafe.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.ConcurrencyException;
import dev.concurrencysafe.Lease;
import dev.concurrencysafe.LockInstrumentation;
import dev.concurrencysafe.LockManager;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The spans of real lock calls through the engine; run against each backend by a subclass. */
abstract class LockSpansContract {

  // one SDK per test: a static one in this shared base would be closed after the first subclass
  @RegisterExtension final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  static final String USER = "user-42";
  static final String PURCHASE_SPAN = "lock CacheKey.PURCHASE";

  final Tracer tracer = otel.getOpenTelemetry().getTracer("test");
  final LockTracing tracing = LockTracing.create(otel.getOpenTelemetry());
  final ExecutorService other = Executors.newSingleThreadExecutor();

  /** A manager over the subclass's store with this instrumentation. */
  abstract LockManager manager(LockInstrumentation instrumentation);

  @AfterEach
  void stopThread() {
    other.shutdownNow();
  }

  @Test
  void requestSpanThenLockSpanThenBodySpan() {
    try (LockManager locks = manager(tracing)) {
      inRequest(
          () ->
              locks
                  .with(CacheKey.PURCHASE, USER)
                  .run(() -> tracer.spanBuilder("charge card").startSpan().end()));
    }
    SpanData request = span("request");
    SpanData lock = span(PURCHASE_SPAN);
    SpanData body = span("charge card");
    assertEquals(request.getSpanId(), lock.getParentSpanId());
    assertEquals(lock.getSpanId(), body.getParentSpanId());
    assertEquals(request.getTraceId(), body.getTraceId());
    assertEquals(SpanKind.INTERNAL, lock.getKind());
    // the lock span covers the body
    assertTrue(lock.getStartEpochNanos() <= body.getStartEpochNanos());
    assertTrue(lock.getEndEpochNanos() >= body.getEndEpochNanos());
  }

  @Test
  void anAcquiredCallCarriesItsOutcomeTokenAndTimes() {
    try (LockManager locks = manager(tracing)) {
      locks.with(CacheKey.PURCHASE, USER).cooldown(Duration.ofMillis(200)).run(() -> {});
    }
    SpanData lock = span(PURCHASE_SPAN);
    assertEquals("acquired", lock.getAttributes().get(LockAttributes.OUTCOME));
    assertEquals("CacheKey.PURCHASE", lock.getAttributes().get(LockAttributes.KEY_NAME));
    assertEquals("run", lock.getAttributes().get(LockAttributes.VERB));
    assertEquals(false, lock.getAttributes().get(LockAttributes.SKIP_WHEN_BUSY));
    assertEquals(10.0, lock.getAttributes().get(LockAttributes.TTL));
    assertEquals(0.2, lock.getAttributes().get(LockAttributes.COOLDOWN));
    assertEquals(false, lock.getAttributes().get(LockAttributes.LEASE_LOST));
    Long token = lock.getAttributes().get(LockAttributes.FENCING_TOKEN);
    assertNotNull(token);
    assertTrue(token > 0, "fencing token " + token);
    assertNotNull(lock.getAttributes().get(LockAttributes.WAIT_DURATION));
    assertNotNull(lock.getAttributes().get(LockAttributes.HELD_DURATION));
    assertEquals(StatusCode.UNSET, lock.getStatus().getStatusCode());
  }

  @Test
  void aDuplicateIsBlockedAndAnErrorAndASkipIsNeither() throws Exception {
    try (LockManager locks = manager(tracing)) {
      try (Lease holder = locks.with(CacheKey.PURCHASE, USER).acquire()) {
        // another thread: on the holder's thread a same-key call would join it
        other
            .submit(
                () ->
                    assertThrows(
                        ConcurrencyException.class,
                        () -> locks.with(CacheKey.PURCHASE, USER).run(() -> {})))
            .get(10, TimeUnit.SECONDS);
        assertFalse(
            other
                .submit(() -> locks.with(CacheKey.PURCHASE, USER).tryRun(() -> {}))
                .get(10, TimeUnit.SECONDS));
      }
    }
    List<SpanData> spans = spans(PURCHASE_SPAN);
    assertEquals(
        List.of("acquired", "blocked", "skipped"),
        spans.stream().map(s -> s.getAttributes().get(LockAttributes.OUTCOME)).sorted().toList());
    SpanData blocked = withOutcome(spans, "blocked");
    assertEquals(StatusCode.ERROR, blocked.getStatus().getStatusCode());
    assertEquals(
        ConcurrencyException.class.getName(),
        blocked.getAttributes().get(LockAttributes.ERROR_TYPE));
    SpanData skipped = withOutcome(spans, "skipped");
    assertEquals(StatusCode.UNSET, skipped.getStatus().getStatusCode());
    assertEquals("tryRun", skipped.getAttributes().get(LockAttributes.VERB));
    assertEquals(true, skipped.getAttributes().get(LockAttributes.SKIP_WHEN_BUSY));
  }

  @Test
  void callAsyncKeepsTheLockSpanCurrentInTheBodyAndEndsItWhenTheStageCompletesElsewhere()
      throws Exception {
    ExecutorService workers = Executors.newSingleThreadExecutor();
    try (LockManager locks = manager(tracing)) {
      Span request = tracer.spanBuilder("request").startSpan();
      CompletableFuture<String> done;
      try (Scope ignored = request.makeCurrent()) {
        done =
            locks
                .with(CacheKey.PURCHASE, USER)
                .<String>callAsync(
                    () -> {
                      tracer.spanBuilder("start work").startSpan().end();
                      // the application hands its context to its own pool, as OpenTelemetry asks
                      Context lockContext = Context.current();
                      return CompletableFuture.supplyAsync(
                          () -> {
                            tracer.spanBuilder("work").startSpan().end();
                            return Thread.currentThread().getName();
                          },
                          lockContext.wrap(workers));
                    })
                .toCompletableFuture();
      }
      request.end();
      String workerThread = done.get(10, TimeUnit.SECONDS);
      assertFalse(workerThread.equals(Thread.currentThread().getName()));
    } finally {
      workers.shutdownNow();
    }
    SpanData lock = span(PURCHASE_SPAN);
    assertEquals("callAsync", lock.getAttributes().get(LockAttributes.VERB));
    assertEquals(span("request").getSpanId(), lock.getParentSpanId());
    assertEquals(lock.getSpanId(), span("start work").getParentSpanId());
    assertEquals(lock.getSpanId(), span("work").getParentSpanId());
    assertTrue(
        lock.getEndEpochNanos() >= span("work").getEndEpochNanos(),
        "the lock span ends after the work it guarded");
  }

  @Test
  void noAttributeOrEventHoldsTheFormattedKeyByDefault() throws Exception {
    try (LockManager locks = manager(tracing)) {
      try (Lease holder = locks.with(CacheKey.PURCHASE, USER).acquire()) {
        other
            .submit(
                () ->
                    assertThrows(
                        ConcurrencyException.class,
                        () -> locks.with(CacheKey.PURCHASE, USER).run(() -> {})))
            .get(10, TimeUnit.SECONDS);
        other
            .submit(() -> locks.with("literal:" + USER).tryRun(() -> {}))
            .get(10, TimeUnit.SECONDS);
      }
    }
    List<SpanData> spans = otel.getSpans();
    assertEquals(3, spans.size(), spans::toString);
    for (SpanData span : spans) {
      String recorded = span.getName() + span.getAttributes() + span.getEvents() + span.getStatus();
      assertFalse(recorded.contains(USER), recorded);
    }
    assertEquals(1, spans("lock (literal)").size());
  }

  void inRequest(Runnable work) {
    Span request = tracer.spanBuilder("request").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = request.makeCurrent()) {
      work.run();
    } finally {
      request.end();
    }
  }

  SpanData withOutcome(List<SpanData> spans, String outcome) {
    return spans.stream()
        .filter(s -> outcome.equals(s.getAttributes().get(LockAttributes.OUTCOME)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + outcome + " span in " + spans));
  }

  List<SpanData> spans(String name) {
    return otel.getSpans().stream().filter(s -> s.getName().equals(name)).toList();
  }

  SpanData span(String name) {
    List<SpanData> named = spans(name);
    assertEquals(1, named.size(), () -> "spans named " + name + ": " + otel.getSpans());
    return named.get(0);
  }
}
