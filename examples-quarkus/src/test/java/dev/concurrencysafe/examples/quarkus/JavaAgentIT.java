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
 * 409), and our lock span is reported through the agent beside its HTTP and Redis spans. Run by the
 * {@code otel-agent} profile, after {@code package}.
 */
class JavaAgentIT {

  private static final String LOCK_SPAN = "'lock lock:purchase:{userId}:{ticketId}'";
  // LoggingSpanExporter: 'name' : traceId spanId KIND [tracer: ...] AttributesMap{...}
  private static final Pattern SPAN_LINE =
      Pattern.compile("('[^']+') : ([0-9a-f]{32}) ([0-9a-f]{16}) ([A-Z]+) (.*)");

  @TempDir Path dir;

  @Test
  void theAgentKeepsTheLockAndReportsTheLockSpanBesideItsRedisSpans() throws Exception {
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
                ""));
    Path output = dir.resolve("app.log");
    int port = RedisServer.freePort();
    try (RedisServer redis = RedisServer.start()) {
      Process process =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-javaagent:" + agent.toAbsolutePath(),
                  "-Dotel.javaagent.configuration-file=" + agentConfig,
                  // one SDK, the agent's: Quarkus's is off and the lock spans go to
                  // GlobalOpenTelemetry
                  "-Dquarkus.otel.sdk.disabled=true",
                  "-Dconcurrency-safe.telemetry.source=global",
                  "-Dquarkus.http.host=127.0.0.1",
                  "-Dquarkus.http.port=" + port,
                  "-Dconcurrency-safe.redis.address=" + redis.uri(),
                  "-Dexample.payment-delay=3s",
                  "-Ddigest.every=1h",
                  "-jar",
                  app.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try {
        URI root = URI.create("http://127.0.0.1:" + port + "/");
        // generous: the agent instruments every class as it loads, on a loaded 2-core machine
        Await.until(
            "the application to be ready",
            Duration.ofMinutes(5),
            () -> process.isAlive() && ready(root) || !process.isAlive());
        assertTrue(process.isAlive(), () -> "the application stopped:\n" + read(output));

        int requests = 6;
        PurchaseRequests.Answers answers =
            new PurchaseRequests(root.resolve("/purchases"), Duration.ofSeconds(60))
                .purchaseAtOnce(requests, "user-1", "ticket-9", new CountDownLatch(requests - 1))
                .answers();
        assertEquals(1, answers.count(201), answers.statuses()::toString);
        assertEquals(requests - 1, answers.count(409), answers.statuses()::toString);

        Await.until(
            "six lock spans in the agent's log",
            Duration.ofSeconds(60),
            () -> spans(output, LOCK_SPAN).size() == requests);
        List<Matcher> locks = spans(output, LOCK_SPAN);
        List<Matcher> acquired =
            locks.stream().filter(m -> m.group(5).contains("outcome=acquired")).toList();
        assertEquals(1, acquired.size(), () -> "lock spans: " + lines(locks));
        assertEquals(
            requests - 1,
            locks.stream().filter(m -> m.group(5).contains("outcome=blocked")).count(),
            () -> lines(locks));
        String trace = acquired.get(0).group(2);
        Await.until(
            "the winner's HTTP span",
            Duration.ofSeconds(30),
            () ->
                spans(output, "'POST /purchases'").stream()
                    .anyMatch(m -> m.group(2).equals(trace)));
        assertTrue(
            spans(output, "'EVALSHA'").stream()
                .anyMatch(m -> m.group(2).equals(trace) && m.group(4).equals("CLIENT")),
            () -> "no agent Redis span in trace " + trace + ":\n" + read(output));
        for (Matcher lock : locks) {
          assertFalse(lock.group(5).contains("user-1"), lock.group());
        }
      } finally {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
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
