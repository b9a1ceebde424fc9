package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.LockEvent;
import dev.concurrencysafe.examples.shop.TicketSales;
import dev.concurrencysafe.examples.shop.testing.HeldPaymentGateway;
import dev.concurrencysafe.examples.shop.testing.PurchaseRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus application with a real redis-server, called over loopback HTTP: the library's
 * build-compatible extension is all that makes {@code @ConcurrencySafe} work on ArC. The shop is
 * the examples-shop dependency, whose Jandex index makes its beans and resource part of the
 * application.
 */
@QuarkusTest
@QuarkusTestResource(RedisResource.class)
class PurchaseResourceTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @TestHTTPResource("/")
  URI root;

  @Inject HeldPaymentGateway payments;

  @Inject RecordingListener listener;

  @Test
  void sixConcurrentIdenticalPurchasesGetOne201AndFive409sWithTheMessage() throws Exception {
    int requests = 6;
    CountDownLatch conflictsSeen = new CountDownLatch(requests - 1);
    CountDownLatch charging = new CountDownLatch(1);
    // the winner's payment stays open until every duplicate has been answered
    payments.holdUntil(conflictsSeen, charging);
    listener.clear();

    PurchaseRequests.Answers answers =
        purchases().purchaseAtOnce(requests, "user-1", "ticket-9", conflictsSeen).answers();

    assertTrue(charging.await(0, TimeUnit.SECONDS), "the winning request reached the payment");
    assertEquals(1, answers.count(201), answers.statuses()::toString);
    assertEquals(requests - 1, answers.count(409), answers.statuses()::toString);
    assertEquals(List.of(TicketSales.BLOCKED_MESSAGE), answers.distinctConflictBodies());
    // the application's LockListener bean saw it too (ArC kept it because the library asks for it)
    assertEquals(1, listener.count(LockEvent.Type.ACQUIRED, "user-1:ticket-9"));
    assertEquals(requests - 1, listener.count(LockEvent.Type.BLOCKED, "user-1:ticket-9"));
  }

  @Test
  void afterThePurchaseEndedTheSameRequestIsAcceptedAgainAndBadInputIsA400() throws Exception {
    payments.holdUntil(new CountDownLatch(0), new CountDownLatch(0));
    HttpResponse<String> first = purchases().purchase("user-2", "ticket-1");
    HttpResponse<String> second = purchases().purchase("user-2", "ticket-1");
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, second.statusCode(), second.body());
    assertTrue(first.headers().firstValue("Location").orElse("").contains("/purchases/"));

    HttpResponse<String> missing = purchases().post("userId=user-3");
    assertEquals(400, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("ticketId"), missing.body());
  }

  @Test
  void theReadinessCheckReportsTheLockStoreUp() throws Exception {
    HttpResponse<String> ready =
        HTTP.send(
            HttpRequest.newBuilder(root.resolve("/q/health/ready")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        ready.body().contains("\"name\": \"concurrency-safe\"")
            || ready.body().contains("\"name\":\"concurrency-safe\""),
        ready.body());
    assertTrue(
        ready.body().contains("\"probe\": \"ping\"") || ready.body().contains("\"probe\":\"ping\""),
        ready.body());
  }

  private PurchaseRequests purchases() {
    return new PurchaseRequests(root.resolve("/purchases"), Duration.ofSeconds(30));
  }
}
