package dev.concurrencysafe.examples.payara;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.examples.shop.TicketSales;
import dev.concurrencysafe.examples.shop.testing.PurchaseRequests;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What every Jakarta EE server's test proves with the example's WAR, the server started as a real
 * process with a real redis-server: six identical purchases while the winner's payment is held get
 * one 201 and five 409 over HTTP; the server's MicroProfile Health reports the lock store's
 * readiness check UP; a WAR with a broken annotation fails to deploy with its {@code CSCDI} id; and
 * the server's processes are gone afterwards. A subclass starts its server and says where things
 * are; the timings are printed to the build's log.
 *
 * <p>The broken deployment runs last, so that it cannot touch the other checks (WildFly's own
 * readiness checks include the state of every deployment).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ShopOnServerChecks {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private RedisServer redis;
  private ServerProcess server;
  private PurchaseRequests purchases;
  private long testsStarted;

  /** The server and its version, as the log line names it. */
  protected abstract String serverName();

  /**
   * Starts the server with {@code shopWar} deployed (and {@code brokenWar} too if the server
   * deploys everything at start), configured for the lock store at {@code redisAddress}; returns
   * once it is ready.
   */
  protected abstract ServerProcess start(
      Path shopWar, Path brokenWar, Path workDir, String redisAddress) throws IOException;

  /** The shop's context root, ending with a slash. */
  protected abstract URI shop();

  /** The server's MicroProfile Health readiness endpoint. */
  protected abstract URI readiness();

  /**
   * Deploys {@code brokenWar} unless already deployed at start, waits until the server has recorded
   * the outcome and returns what it marked the deployment with (asserting it failed).
   */
  protected abstract String brokenDeploymentFailure(Path brokenWar) throws Exception;

  /** The server process, for the subclass's checks. */
  protected final ServerProcess server() {
    return server;
  }

  @BeforeAll
  final void startServer() throws IOException {
    Path work = Path.of(System.getProperty("work.dir"));
    Path exampleWar = Path.of(System.getProperty("example.war"));
    Path shopWar = TestWars.shop(exampleWar, work.resolve("wars"));
    redis = RedisServer.start();
    try {
      fetchTime()
          .ifPresent(
              time -> report("server fetched (download unless cached, copy/unpack) in " + time));
      server = start(shopWar, TestWars.broken(exampleWar, work.resolve("wars")), work, redis.uri());
      report(
          "started in "
              + seconds(server.startUp())
              + " on JDK "
              + Runtime.version()
              + " ("
              + Runtime.getRuntime().availableProcessors()
              + " cores)");
    } catch (IOException | RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    purchases = new PurchaseRequests(shop().resolve("purchases"), Duration.ofSeconds(60));
    testsStarted = System.nanoTime();
  }

  @AfterAll
  final void stopServer() {
    try {
      if (server != null) {
        String tests = seconds(Duration.ofNanos(System.nanoTime() - testsStarted));
        List<ProcessHandle> processes = server.processes();
        long stopping = System.nanoTime();
        server.close();
        report(
            "tests took "
                + tests
                + ", stopped in "
                + seconds(Duration.ofNanos(System.nanoTime() - stopping)));
        for (ProcessHandle process : processes) {
          assertFalse(
              process.isAlive(), () -> serverName() + " process " + process.pid() + " is gone");
        }
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  @Test
  @Order(1)
  void sixConcurrentIdenticalPurchasesGetOne201AndFive409sWithTheMessage() throws Exception {
    int requests = 6;
    CountDownLatch conflictsSeen = new CountDownLatch(requests - 1);
    PurchaseRequests.InFlight inFlight =
        purchases.purchaseAtOnce(requests, "user-1", "ticket-9", conflictsSeen);
    // the winner's payment stays open until every duplicate has been answered
    boolean allConflicts = conflictsSeen.await(60, TimeUnit.SECONDS);
    redis.command("RPUSH", HeldPaymentGateway.RELEASE, "go");

    PurchaseRequests.Answers answers = inFlight.answers();
    assertTrue(
        allConflicts,
        "five duplicates answered while the winner was charging: " + answers.statuses());
    assertEquals(1, answers.count(201), answers.statuses()::toString);
    assertEquals(requests - 1, answers.count(409), answers.statuses()::toString);
    assertEquals(List.of(TicketSales.BLOCKED_MESSAGE), answers.distinctConflictBodies());
    // the held payment reached the test's redis-server: the configured address is the one in use
    assertEquals("1", redis.command("LLEN", HeldPaymentGateway.ENTERED).trim(), "one charge ran");

    redis.command("RPUSH", HeldPaymentGateway.RELEASE, "go");
    HttpResponse<String> again = purchases.purchase("user-1", "ticket-9");
    assertEquals(
        201,
        again.statusCode(),
        "after the purchase ended the same request is accepted: " + again.body());
  }

  @Test
  @Order(2)
  void theReadinessCheckReportsTheLockStoreUp() throws Exception {
    HttpResponse<String> ready =
        HTTP.send(
            HttpRequest.newBuilder(readiness()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    String body = ready.body().replace(" ", "");
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(
        body.contains("\"name\":\"concurrency-safe\"") && body.contains("\"probe\":\"ping\""),
        ready.body());
  }

  @Test
  @Order(2)
  void theLibraryUsesTheRedisAddressGivenToTheServer() {
    // the WAR's microprofile-config.properties says redis://127.0.0.1:6379: the server's
    // configuration (a system property) must win, or the checks above could pass on another Redis
    Pattern logged = Pattern.compile("lock store: " + Pattern.quote(redis.uri()) + "(?![0-9])");
    assertTrue(
        logged.matcher(server.output()).find(),
        "the library logs " + redis.uri() + ":\n" + server.output());
  }

  @Test
  @Order(3)
  void aBrokenAnnotationFailsItsDeploymentWithItsId() throws Exception {
    Path brokenWar = Path.of(System.getProperty("work.dir")).resolve("wars/shop-broken.war");
    String failure = brokenDeploymentFailure(brokenWar);
    assertTrue(
        server.output().contains(BrokenRefunds.PROBLEM),
        "the server log names the problem:\n" + failure);
    HttpResponse<String> broken =
        HTTP.send(
            HttpRequest.newBuilder(shop().resolve("../shop-broken/purchases"))
                .POST(HttpRequest.BodyPublishers.ofString("userId=u&ticketId=t"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(
        404, broken.statusCode(), "the broken application serves nothing: " + broken.body());
  }

  /**
   * A line in the build's log (the test's output goes there, not to a file), also appended to the
   * file named by {@code server.timings} when the build passes one, for a CI summary.
   */
  protected final void report(String what) {
    String line = String.format(Locale.ROOT, "[servers] %s: %s", serverName(), what);
    System.out.println(line);
    String timings = System.getProperty("server.timings");
    if (timings != null) {
      try {
        Files.writeString(
            Path.of(timings),
            line + System.lineSeparator(),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.out.println("[servers] could not append to " + timings + ": " + e);
      }
    }
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  /**
   * From the build's timestamp before the server was fetched ({@code server.fetch.started}) to the
   * last change of the directory the fetch wrote into last ({@code server.fetch.done}: its time
   * moves when an entry is created there, while a copied file keeps its own), when the build passes
   * both.
   */
  private static Optional<String> fetchTime() throws IOException {
    String started = System.getProperty("server.fetch.started");
    String done = System.getProperty("server.fetch.done");
    if (started == null || done == null || !Files.isDirectory(Path.of(done))) {
      return Optional.empty();
    }
    try {
      long from = OffsetDateTime.parse(started).toInstant().toEpochMilli();
      long to = Files.getLastModifiedTime(Path.of(done)).toMillis();
      return Optional.of(seconds(Duration.ofMillis(Math.max(0, to - from))));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
