package dev.concurrencysafe.examples.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.examples.shop.TicketSales;
import dev.concurrencysafe.examples.shop.testing.PurchaseRequests;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example's WAR on Payara Micro 6 (Jakarta EE 10, Weld), started as a real process on a free
 * port with a real redis-server: the portable extension prepares the interceptor there. Six
 * identical purchases while the winner's payment is held: one 201, five 409. The server and its
 * children are gone afterwards.
 */
class PurchaseOnPayaraIT {

  private static RedisServer redis;
  private static PayaraMicro payara;
  private static PurchaseRequests purchases;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  @BeforeAll
  static void start() throws IOException {
    Path work = Path.of(System.getProperty("work.dir"));
    Path war = testWar(Path.of(System.getProperty("example.war")), Path.of(System.getProperty("test.classes")),
        work.resolve("shop.war"));
    redis = RedisServer.start();
    try {
      payara = PayaraMicro.start(Path.of(System.getProperty("payara.jar")), war, work,
          Map.of("concurrency-safe.redis.address", redis.uri()));
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    purchases = new PurchaseRequests(URI.create("http://127.0.0.1:" + payara.port() + "/shop/purchases"),
        Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    try {
      if (payara != null) {
        long pid = payara.pid();
        payara.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "the Payara Micro process is gone");
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void sixConcurrentIdenticalPurchasesGetOne201AndFive409sWithTheMessage() throws Exception {
    int requests = 6;
    CountDownLatch conflictsSeen = new CountDownLatch(requests - 1);
    PurchaseRequests.InFlight inFlight = purchases.purchaseAtOnce(requests, "user-1", "ticket-9", conflictsSeen);
    // the winner's payment stays open until every duplicate has been answered
    boolean allConflicts = conflictsSeen.await(60, TimeUnit.SECONDS);
    redis.command("RPUSH", HeldPaymentGateway.RELEASE, "go");

    PurchaseRequests.Answers answers = inFlight.answers();
    assertTrue(allConflicts, "five duplicates answered while the winner was charging: " + answers.statuses());
    assertEquals(1, answers.count(201), answers.statuses()::toString);
    assertEquals(requests - 1, answers.count(409), answers.statuses()::toString);
    assertEquals(List.of(TicketSales.BLOCKED_MESSAGE), answers.distinctConflictBodies());
    assertEquals("1", redis.command("LLEN", HeldPaymentGateway.ENTERED).trim(), "one charge ran");

    redis.command("RPUSH", HeldPaymentGateway.RELEASE, "go");
    HttpResponse<String> again = purchases.purchase("user-1", "ticket-9");
    assertEquals(201, again.statusCode(), "after the purchase ended the same request is accepted: " + again.body());
  }

  @Test
  void theReadinessCheckReportsTheLockStoreUp() throws Exception {
    HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + payara.port() + "/health/ready")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    String body = ready.body().replace(" ", "");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(body.contains("\"name\":\"concurrency-safe\"") && body.contains("\"probe\":\"ping\""), ready.body());
  }

  /** The example's WAR plus the held payment alternative (context root /shop). */
  private static Path testWar(Path war, Path testClasses, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    String held = HeldPaymentGateway.class.getName().replace('.', '/') + ".class";
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("WEB-INF/classes/" + held));
      try (InputStream classFile = Files.newInputStream(testClasses.resolve(held))) {
        classFile.transferTo(out);
      }
      out.closeEntry();
    }
    return target;
  }
}
