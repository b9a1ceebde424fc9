package dev.concurrencysafe.examples.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.RedisServer;
import io.helidon.microprofile.server.Server;
import jakarta.enterprise.inject.spi.CDI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts Redis, then the Helidon MP server on a free loopback port (the server reads the Redis
 * address from MicroProfile Config, here a system property), and sends real HTTP requests.
 */
class PurchaseResourceTest {

  private static RedisServer redis;
  private static Server server;
  private static HttpClient http;

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
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
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
    CDI.current().select(HeldPaymentGateway.class).get().holdUntil(conflictsSeen, charging);

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      responses.add(http.sendAsync(purchase("user-1", "ticket-9"), HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, error) -> {
            if (response != null && response.statusCode() == 409) {
              conflictsSeen.countDown(); // the held purchase ends once every duplicate was answered
            }
          }));
    }
    List<Integer> statuses = new ArrayList<>();
    List<String> conflictBodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> future : responses) {
      HttpResponse<String> response = future.get(30, TimeUnit.SECONDS);
      statuses.add(response.statusCode());
      if (response.statusCode() == 409) {
        conflictBodies.add(response.body());
      }
    }

    assertTrue(charging.await(0, TimeUnit.SECONDS), "the winning request reached the payment");
    assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses::toString);
    assertEquals(requests - 1, statuses.stream().filter(s -> s == 409).count(), statuses::toString);
    assertEquals(List.of(TicketSales.BLOCKED_MESSAGE), conflictBodies.stream().distinct().toList());
  }

  @Test
  void afterThePurchaseEndedTheSameRequestIsAcceptedAgainAndBadInputIsA400() throws Exception {
    CDI.current().select(HeldPaymentGateway.class).get()
        .holdUntil(new CountDownLatch(0), new CountDownLatch(0));
    HttpResponse<String> first = http.send(purchase("user-2", "ticket-1"),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second = http.send(purchase("user-2", "ticket-1"),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, second.statusCode(), second.body());
    assertTrue(first.headers().firstValue("Location").orElse("").contains("/purchases/"));

    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri("/purchases"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("userId=user-3"))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("ticketId"), missing.body());
  }

  private static HttpRequest purchase(String userId, String ticketId) {
    return HttpRequest.newBuilder(uri("/purchases"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("userId=" + userId + "&ticketId=" + ticketId))
        .build();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
