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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application (target/quarkus-app) started as a process with the OpenTelemetry Java
 * agent attached, exporting spans to its log as OTLP JSON (the agent's {@code logging-otlp}
 * exporter): the agent does not switch the lock off (one 201, five 409), and our lock span is
 * reported through the agent beside its HTTP and Redis spans. Runs in the integration-test phase,
 * after {@code package}; the agent jar is copied from Maven Central into target/otel-agent.
 */
class JavaAgentIT {

  private static final String LOCK_SPAN = "lock lock:purchase:{userId}:{ticketId}";
  private static final String SERVER_SPAN = "POST /purchases";
  private static final String REDIS_SPAN = "EVALSHA";
  private static final String OUTCOME = "concurrency_safe.lock.outcome";
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
          () -> named(output, LOCK_SPAN).size() == REQUESTS + 1);
      assertLockSpansBesideTheAgentsSpans(output);
    }
  }

  private static void assertLockSpansBesideTheAgentsSpans(Path output) {
    List<ExportedSpan> locks = named(output, LOCK_SPAN);
    List<ExportedSpan> acquired = withOutcome(locks, "acquired");
    List<ExportedSpan> blocked = withOutcome(locks, "blocked");
    assertEquals(2, acquired.size(), () -> "lock spans:\n" + locks);
    assertEquals(REQUESTS - 1, blocked.size(), locks::toString);
    for (ExportedSpan lock : locks) {
      assertEquals(ExportedSpan.Kind.INTERNAL, lock.kind(), lock::json);
      assertFalse(lock.json().contains("user-"), () -> "formatted key recorded: " + lock.json());
      assertEquals(blocked.contains(lock) ? 2 : 0, lock.statusCode(), lock::json);
      Await.until(
          "the HTTP server span that is the lock span's parent, " + lock,
          Duration.ofSeconds(30),
          () ->
              inTrace(output, lock.traceId()).stream()
                  .anyMatch(
                      s ->
                          s.spanId().equals(lock.parentSpanId())
                              && s.name().equals(SERVER_SPAN)
                              && s.kind() == ExportedSpan.Kind.SERVER));
      assertTrue(
          inTrace(output, lock.traceId()).stream()
              .anyMatch(s -> s.name().equals(REDIS_SPAN) && s.kind() == ExportedSpan.Kind.CLIENT),
          () -> "no agent Redis span beside " + lock + ":\n" + inTrace(output, lock.traceId()));
    }
    print(output, "the winning purchase", acquired.get(acquired.size() - 1).traceId());
    print(output, "a refused purchase", blocked.get(0).traceId());
  }

  /** The trace's spans as the agent exported them, for the build's log. */
  private static void print(Path output, String what, String trace) {
    System.out.println("[agent] " + what + ", trace " + trace + ":");
    for (ExportedSpan span : inTrace(output, trace)) {
      System.out.println("[agent]   " + span);
      System.out.println("[agent]     " + span.json());
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
                "otel.traces.exporter=logging-otlp",
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

  private static List<ExportedSpan> named(Path output, String name) {
    return ExportedSpan.parse(read(output)).stream().filter(s -> s.name().equals(name)).toList();
  }

  private static List<ExportedSpan> withOutcome(List<ExportedSpan> spans, String outcome) {
    return spans.stream().filter(s -> outcome.equals(s.stringAttribute(OUTCOME))).toList();
  }

  private static List<ExportedSpan> inTrace(Path output, String trace) {
    return ExportedSpan.parse(read(output)).stream()
        .filter(s -> s.traceId().equals(trace))
        .toList();
  }

  private static String read(Path output) {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the application's output " + output, e);
    }
  }
}
