package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.examples.shop.testing.HeldPaymentGateway;
import dev.concurrencysafe.examples.shop.testing.PurchaseRequests;
import dev.concurrencysafe.testing.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile Telemetry with no code: quarkus-opentelemetry supplies the OpenTelemetry bean and
 * the HTTP server spans, concurrency-safe-opentelemetry's producer (found through its beans.xml)
 * turns it into lock spans, and each lock span is a child of its request's server span.
 */
@QuarkusTest
@QuarkusTestResource(RedisResource.class)
class LockSpansTest {

  private static final String LOCK_SPAN = "lock lock:purchase:{userId}:{ticketId}";
  private static final AttributeKey<String> OUTCOME =
      AttributeKey.stringKey("concurrency_safe.lock.outcome");

  @TestHTTPResource("/")
  URI root;

  @Inject HeldPaymentGateway payments;

  @Inject InMemorySpanExporter spans;

  @Test
  void sixIdenticalPurchasesGiveOneAcquiredAndFiveBlockedLockSpansEachUnderItsHttpSpan()
      throws Exception {
    long testStart = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    int requests = 6;
    CountDownLatch conflictsSeen = new CountDownLatch(requests - 1);
    payments.holdUntil(conflictsSeen, new CountDownLatch(1));

    PurchaseRequests.Answers answers =
        new PurchaseRequests(root.resolve("/purchases"), Duration.ofSeconds(30))
            .purchaseAtOnce(requests, "user-7", "ticket-3", conflictsSeen)
            .answers();
    assertEquals(1, answers.count(201), answers.statuses()::toString);
    assertEquals(requests - 1, answers.count(409), answers.statuses()::toString);

    // the batch processor exports after the responses: wait for the six requests' spans
    Await.until(
        "six lock spans and their six HTTP server spans",
        Duration.ofSeconds(20),
        () -> lockSpans(testStart).size() == requests && serverSpans(testStart).size() >= requests);
    List<SpanData> locks = lockSpans(testStart);
    Map<String, SpanData> servers =
        serverSpans(testStart).stream()
            .collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));

    assertEquals(
        Map.of("acquired", 1L, "blocked", 5L),
        locks.stream()
            .collect(
                Collectors.groupingBy(s -> s.getAttributes().get(OUTCOME), Collectors.counting())));
    Set<String> parents = new HashSet<>();
    for (SpanData lock : locks) {
      SpanData server = servers.get(lock.getParentSpanId());
      assertTrue(
          server != null,
          () ->
              "the lock span's parent is not an HTTP server span: "
                  + lock
                  + "\nserver spans: "
                  + servers.values());
      assertEquals(server.getTraceId(), lock.getTraceId());
      assertTrue(server.getName().contains("/purchases"), server::getName);
      parents.add(server.getSpanId());
      boolean blocked = "blocked".equals(lock.getAttributes().get(OUTCOME));
      assertEquals(blocked ? StatusCode.ERROR : StatusCode.UNSET, lock.getStatus().getStatusCode());
      String recorded = lock.getAttributes() + " " + lock.getEvents();
      assertFalse(recorded.contains("user-7"), "the formatted key is recorded: " + recorded);
    }
    assertEquals(requests, parents.size(), "one lock span per request");
  }

  private List<SpanData> lockSpans(long since) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getStartEpochNanos() >= since && s.getName().equals(LOCK_SPAN))
        .toList();
  }

  private List<SpanData> serverSpans(long since) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getStartEpochNanos() >= since && s.getKind() == SpanKind.SERVER)
        .toList();
  }
}
