package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code wrk} with {@code http/purchases.lua} against the app and parses what the
 * script prints: responses per status code and 100 ms bucket, request count and latency
 * percentiles.
 *
 * <p>Thread-safety: immutable; each {@link #run} starts its own process.
 */
final class Wrk {

  /** One run's outcome; latencies in µs, buckets keyed by epoch ms / 100. */
  record Outcome(
      long requests,
      double seconds,
      long p50,
      long p90,
      long p99,
      long max,
      long socketErrors,
      Map<Long, Map<Integer, Long>> buckets,
      double loadBefore,
      double loadAfter) {

    double requestsPerSecond() {
      return requests / seconds;
    }

    long count(int status) {
      return buckets.values().stream().mapToLong(row -> row.getOrDefault(status, 0L)).sum();
    }
  }

  private final Path script;

  private Wrk(Path script) {
    this.script = script;
  }

  /** Copies the script out of the jar. */
  static Wrk prepare(Path workDir) throws IOException {
    Path script = workDir.resolve("purchases.lua");
    try (InputStream in = Wrk.class.getResourceAsStream("/http/purchases.lua")) {
      if (in == null) {
        throw new IllegalStateException("http/purchases.lua is missing from the benchmarks jar");
      }
      Files.write(script, in.readAllBytes());
    }
    return new Wrk(script);
  }

  /** Starts wrk on {@code POST /purchases}; the stage completes with the parsed outcome. */
  CompletableFuture<Outcome> start(
      String url, int connections, Duration duration, String mode, String runId)
      throws IOException {
    return start(url, "/purchases", connections, duration, mode, runId);
  }

  /** Starts wrk on {@code POST path}; the stage completes with the parsed outcome when it ends. */
  CompletableFuture<Outcome> start(
      String url, String path, int connections, Duration duration, String mode, String runId)
      throws IOException {
    double loadBefore = loadAverage();
    Process wrk =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                url,
                "--",
                mode,
                runId,
                path)
            .redirectErrorStream(true)
            .start();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
              throw new IllegalStateException("wrk failed:\n" + output);
            }
            return parse(output, loadBefore, loadAverage());
          } catch (IOException e) {
            throw new IllegalStateException("could not read wrk's output", e);
          } catch (InterruptedException e) {
            wrk.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while wrk ran", e);
          }
        });
  }

  Outcome run(String url, int connections, Duration duration, String mode, String runId)
      throws Exception {
    return start(url, connections, duration, mode, runId).get();
  }

  Outcome run(
      String url, String path, int connections, Duration duration, String mode, String runId)
      throws Exception {
    return start(url, path, connections, duration, mode, runId).get();
  }

  private static Outcome parse(String output, double loadBefore, double loadAfter) {
    Map<Long, Map<Integer, Long>> buckets = new TreeMap<>();
    Map<String, String> summary = null;
    for (String line : output.split("\n")) {
      String[] words = line.trim().split(" ");
      if (words[0].equals("bucket") && words.length == 4) {
        buckets
            .computeIfAbsent(Long.parseLong(words[1]), b -> new TreeMap<>())
            .merge(Integer.parseInt(words[2]), Long.parseLong(words[3]), Long::sum);
      } else if (words[0].equals("summary")) {
        summary = new TreeMap<>();
        for (String pair : List.of(words).subList(1, words.length)) {
          summary.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
      }
    }
    if (summary == null) {
      throw new IllegalStateException("wrk printed no summary line:\n" + output);
    }
    Map<String, String> s = summary;
    long socketErrors =
        List.of("connect", "read", "write", "timeout").stream()
            .mapToLong(k -> Long.parseLong(s.get(k)))
            .sum();
    return new Outcome(
        Long.parseLong(s.get("requests")),
        Double.parseDouble(s.get("seconds")),
        Long.parseLong(s.get("p50")),
        Long.parseLong(s.get("p90")),
        Long.parseLong(s.get("p99")),
        Long.parseLong(s.get("max")),
        socketErrors,
        buckets,
        loadBefore,
        loadAfter);
  }

  /** The 1-minute load average (/proc/loadavg): the machine is shared. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException notLinux) {
      return -1;
    }
  }
}
