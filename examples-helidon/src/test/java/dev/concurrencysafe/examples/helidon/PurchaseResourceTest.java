package dev.concurrencysafe.examples.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.examples.shop.TicketSales;
import dev.concurrencysafe.examples.shop.testing.HeldPaymentGateway;
import dev.concurrencysafe.examples.shop.testing.PurchaseRequests;
import dev.concurrencysafe.testing.RedisServer;
import io.helidon.microprofile.server.Server;
import jakarta.enterprise.inject.spi.CDI;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts Redis, then the Helidon MP server on a free loopback port (the server reads the Redis
 * address from MicroProfile Config, here a system property), and sends real HTTP requests to the
 * shop it serves (the examples-shop dependency, a bean archive).
 */
class PurchaseResourceTest {

  private static RedisServer redis;
  private static Server server;
  private static PurchaseRequests purchases;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    try {
      System.setProperty("concurrency-safe.redis.address", redis.uri());
      server = Server.builder().host("127.0.0.1").port(0).build().start();
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    purchases =
        new PurchaseRequests(
            URI.create("http://127.0.0.1:" + server.port() + "/purchases"), Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.stop();
      }
    } finally {
      System.clearProperty("concurrency-safe.redis.address");
      redis.close();
    }
  }

  @Test
  void concurrentIdenticalPurchasesGetOne201AndThe409sWithTheMessage() throws Exception {
    int requests = 6;
    CountDownLatch conflictsSeen = new CountDownLatch(requests - 1);
    CountDownLatch charging = new CountDownLatch(1);
    // the held purchase ends once every duplicate was answered
    CDI.current().select(HeldPaymentGateway.class).get().holdUntil(conflictsSeen, charging);

    PurchaseRequests.Answers answers =
        purchases.purchaseAtOnce(requests, "user-1", "ticket-9", conflictsSeen).answers();

    assertTrue(charging.await(0, TimeUnit.SECONDS), "the winning request reached the payment");
    assertEquals(1, answers.count(201), answers.statuses()::toString);
    assertEquals(requests - 1, answers.count(409), answers.statuses()::toString);
    assertEquals(List.of(TicketSales.BLOCKED_MESSAGE), answers.distinctConflictBodies());
  }

  @Test
  void afterThePurchaseEndedTheSameRequestIsAcceptedAgainAndBadInputIsA400() throws Exception {
    CDI.current()
        .select(HeldPaymentGateway.class)
        .get()
        .holdUntil(new CountDownLatch(0), new CountDownLatch(0));
    HttpResponse<String> first = purchases.purchase("user-2", "ticket-1");
    HttpResponse<String> second = purchases.purchase("user-2", "ticket-1");
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, second.statusCode(), second.body());
    assertTrue(first.headers().firstValue("Location").orElse("").contains("/purchases/"));

    HttpResponse<String> missing = purchases.post("userId=user-3");
    assertEquals(400, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("ticketId"), missing.body());
  }
}
