package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The examples-helidon application as a separate JVM (JDK 21+) serving {@code POST /purchases} on a
 * free loopback port, its output in a log file. Reports its CPU time (Linux /proc) and how many log
 * lines the library wrote.
 *
 * <p>Thread-safety: not thread-safe; one driver thread.
 */
final class HttpApp implements AutoCloseable {

  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private HttpApp(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the app and waits until it answers a purchase.
   *
   * @param lockEnabled false sets {@code ConcurrencySafe/enabled=false}: no lock at all
   */
  static HttpApp start(
      String java, String classpath, String redisUri, boolean lockEnabled, Path log)
      throws IOException, InterruptedException {
    int port = dev.concurrencysafe.testing.RedisServer.freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-cp",
                classpath,
                "-Dserver.port=" + port,
                "-Dconcurrency-safe.redis.address=" + redisUri));
    if (!lockEnabled) {
      command.add("-DConcurrencySafe/enabled=false");
    }
    command.add("io.helidon.microprofile.cdi.Main");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpApp app = new HttpApp(process, port, log);
    try {
      app.awaitReady(Duration.ofSeconds(90));
      return app;
    } catch (IOException | InterruptedException | RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private void awaitReady(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Helidon app exited with "
                + process.exitValue()
                + "; its output:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      try {
        int status = purchase("warm-up", "1");
        if (status == 201) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the Helidon app did not answer a purchase within "
                + within
                + "; its output:\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(200);
    }
  }

  /** One purchase; returns the status code. */
  int purchase(String userId, String ticketId) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + "/purchases"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("userId=" + userId + "&ticketId=" + ticketId))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** User + system CPU time of the app's JVM so far, in seconds. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]))
        / (double) CLOCK_TICKS_PER_SECOND;
  }

  /** Lines of the app's output that the library wrote so far. */
  long libraryLogLines() throws IOException {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains("[concurrency-safe]")).count();
    }
  }

  /** The library's log lines from the {@code skip}-th on. */
  List<String> libraryLogLinesFrom(long skip) throws IOException {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains("[concurrency-safe]")).skip(skip).toList();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
