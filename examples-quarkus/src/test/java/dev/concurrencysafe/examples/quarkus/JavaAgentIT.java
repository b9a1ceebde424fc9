package dev.concurrencysafe.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.examples.shop.testing.PurchaseRequests;
import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application (target/quarkus-app) started as a process with the OpenTelemetry Java
 * agent attached, exporting spans to its log: the agent does not switch the lock off (one 201, five
 * 409), and our lock span is reported through the agent beside its HTTP and Redis spans. Runs in
 * the integration-test phase, after {@code package}; the agent jar is copied from Maven Central
 * into target/otel-agent.
 */
class JavaAgentIT {

  private static final String LOCK_SPAN = "'lock lock:purchase:{userId}:{ticketId}'";
  private static final String SERVER_SPAN = "'POST /purchases'";
  private static final String REDIS_SPAN = "'EVALSHA'";
  // LoggingSpanExporter: 'name' : traceId spanId KIND [tracer: ...] AttributesMap{...}
  private static final Pattern SPAN_LINE =
      Pattern.compile("('[^']+') : ([0-9a-f]{32}) ([0-9a-f]{16}) ([A-Z]+) (.*)");
  private static final int REQUESTS = 6;

  @TempDir Path dir;

  @Test
  void theAgentKeepsTheLockAndReportsTheLockSpanBesideItsRedisSpans() throws Exception {
    Path output = dir.resolve("app.log");
    int port = RedisServer.freePort();
    try (RedisServer redis = RedisServer.start();
        App app = App.start(command(port, redis.uri()), output)) {
      URI root = URI.create("http://127.0.0.1:" + port + "/");
      // generous: the agent instruments every class as it loads, on a loaded 2-core machine
      Await.until(
          "the application to be ready",
          Duration.ofMinutes(5),
          () -> !app.process.isAlive() || ready(root));
      assertTrue(app.process.isAlive(), () -> "the application stopped:\n" + read(output));

      PurchaseRequests purchases =
          new PurchaseRequests(root.resolve("/purchases"), Duration.ofSeconds(60));
      // one purchase first, so the identical ones below meet a warm application and overlap
      // well within the payment's 3 s
      assertEquals(201, purchases.purchase("user-0", "ticket-0").statusCode());
      PurchaseRequests.Answers answers =
          purchases
              .purchaseAtOnce(REQUESTS, "user-1", "ticket-9", new CountDownLatch(REQUESTS - 1))
              .answers();
      assertEquals(1, answers.count(201), answers.statuses()::toString);
      assertEquals(REQUESTS - 1, answers.count(409), answers.statuses()::toString);

      Await.until(
          "seven lock spans (the first purchase's and six) in the agent's log",
          Duration.ofSeconds(60),
          () -> spans(output, LOCK_SPAN).size() == REQUESTS + 1);
      assertLockSpansBesideTheAgentsSpans(output);
    }
  }

  private static void assertLockSpansBesideTheAgentsSpans(Path output) {
    List<Matcher> locks = spans(output, LOCK_SPAN);
    List<Matcher> acquired = withAttribute(locks, "outcome=acquired");
    assertEquals(2, acquired.size(), () -> "lock spans:\n" + lines(locks));
    assertEquals(REQUESTS - 1, withAttribute(locks, "outcome=blocked").size(), () -> lines(locks));
    for (Matcher lock : locks) {
      assertEquals("INTERNAL", lock.group(4), lock.group());
      assertFalse(lock.group(5).contains("user-"), "formatted key recorded: " + lock.group());
      String trace = lock.group(2);
      Await.until(
          "the HTTP server span of the trace " + trace,
          Duration.ofSeconds(30),
          () -> !inTrace(spans(output, SERVER_SPAN), trace, "SERVER").isEmpty());
      assertFalse(
          inTrace(spans(output, REDIS_SPAN), trace, "CLIENT").isEmpty(),
          () ->
              "no agent Redis span beside the lock span in trace " + trace + ":\n" + read(output));
    }
    print(output, "the winning purchase", acquired.get(acquired.size() - 1).group(2));
    print(output, "a refused purchase", withAttribute(locks, "outcome=blocked").get(0).group(2));
  }

  /** The trace's spans as the agent logged them, for the build's log. */
  private static void print(Path output, String what, String trace) {
    System.out.println("[agent] " + what + ", trace " + trace + ":");
    for (String line : read(output).split("\n")) {
      if (line.contains(trace)) {
        System.out.println("[agent]   " + line.substring(Math.max(0, line.indexOf('\''))));
      }
    }
  }

  private List<String> command(int port, String redisUri) throws IOException {
    Path agent =
        Paths.get(
            System.getProperty("otel.agent.jar", "target/otel-agent/opentelemetry-javaagent.jar"));
    Path app = Paths.get("target/quarkus-app/quarkus-run.jar");
    assertTrue(Files.isRegularFile(agent), "no agent jar at " + agent.toAbsolutePath());
    assertTrue(Files.isRegularFile(app), "no packaged application at " + app.toAbsolutePath());
    // the agent's settings in its own file: Quarkus reads otel.* system properties too
    Path agentConfig =
        Files.writeString(
            dir.resolve("agent.properties"),
            String.join(
                "\n",
                "otel.traces.exporter=logging",
                "otel.metrics.exporter=none",
                "otel.logs.exporter=none",
                "otel.service.name=shop",
                "otel.bsp.schedule.delay=100",
                ""));
    return List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agent.toAbsolutePath(),
        "-Dotel.javaagent.configuration-file=" + agentConfig,
        // set before the agent touches java.util.logging, as Quarkus's own launcher would set it
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
        // one SDK, the agent's: Quarkus's is off and the lock spans go to GlobalOpenTelemetry
        "-Dquarkus.otel.sdk.disabled=true",
        "-Dconcurrency-safe.telemetry.source=global",
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + port,
        "-Dconcurrency-safe.redis.address=" + redisUri,
        "-Dexample.payment-delay=3s",
        "-Ddigest.every=1h",
        "-jar",
        app.toAbsolutePath().toString());
  }

  /** The application's process: destroyed on close, and when the test JVM exits before that. */
  private record App(Process process, Thread reaper) implements AutoCloseable {

    static App start(List<String> command, Path output) throws IOException {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      Thread reaper = new Thread(process::destroyForcibly, "quarkus-app-reaper");
      Runtime.getRuntime().addShutdownHook(reaper);
      return new App(process, reaper);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }

  private static boolean ready(URI root) {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(root.resolve("/q/health/ready"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<Matcher> spans(Path output, String quotedName) {
    List<Matcher> found = new ArrayList<>();
    for (String line : read(output).split("\n")) {
      int at = line.indexOf(quotedName + " : ");
      if (at >= 0) {
        Matcher m = SPAN_LINE.matcher(line.substring(at));
        if (m.matches()) {
          found.add(m);
        }
      }
    }
    return found;
  }

  private static List<Matcher> withAttribute(List<Matcher> spans, String attribute) {
    return spans.stream().filter(m -> m.group(5).contains(attribute)).toList();
  }

  private static List<Matcher> inTrace(List<Matcher> spans, String trace, String kind) {
    return spans.stream().filter(m -> m.group(2).equals(trace) && m.group(4).equals(kind)).toList();
  }

  private static String lines(List<Matcher> spans) {
    return String.join("\n", spans.stream().map(Matcher::group).toList());
  }

  private static String read(Path output) {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the application's output " + output, e);
    }
  }
}
