package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP load benchmark ({@code benchmarks/http-run}): examples-helidon under Debian's {@code
 * wrk}, lock on vs {@code ConcurrencySafe/enabled=false}, distinct users vs one hot user and
 * ticket, and an outage timeline (redis-server killed and restarted mid-run). Writes {@code
 * benchmarks-http.md} and splices it into {@code benchmarks.md}.
 *
 * <p>Thread-safety: run once per JVM.
 */
public final class HttpLoadMain {

  /** One measured wrk run with the app's CPU and library log lines over it. */
  record Run(String name, Wrk.Outcome wrk, double appCpuSeconds, long logLines) {
    double cpuMicrosPerRequest() {
      return appCpuSeconds * 1e6 / wrk.requests();
    }
  }

  /** The outage timeline: wall-clock ms of the kill and the restart, and the wrk run around it. */
  record Outage(long startMs, long killMs, long restartMs, Wrk.Outcome wrk, Wrk.Outcome down,
      long downLogLines) {}

  /** Redis after the load runs (before the outage emptied it). */
  record RedisAfter(long keys, long usedMemoryBefore, long usedMemoryAfter) {}

  private HttpLoadMain() {}

  public static void main(String[] args) throws Exception {
    String java = null;
    String classpath = null;
    Path out = Path.of("docs");
    boolean smoke = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--java" -> java = args[++i];
        case "--classpath" -> classpath = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        case "--smoke" -> smoke = true;
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; expected --java PATH --classpath CP [--out DIR] [--smoke]");
      }
    }
    if (java == null || classpath == null) {
      throw new IllegalArgumentException("--java (a JDK 21+ java) and --classpath (examples-helidon's)"
          + " are required; benchmarks/http-run passes both");
    }
    run(java, classpath, out, smoke);
    System.exit(0);
  }

  static void run(String java, String classpath, Path out, boolean smoke) throws Exception {
    Duration measure = Duration.ofSeconds(smoke ? 2 : 10);
    Duration warm = Duration.ofSeconds(smoke ? 1 : 5);
    Path work = Files.createTempDirectory("http-load-");
    Wrk wrk = Wrk.prepare(work);
    double loadAtStart = Wrk.loadAverage();
    try (RedisServer redis = RedisServer.start();
        HttpApp on = HttpApp.start(java, classpath, redis.uri(), true, work.resolve("on.log"));
        HttpApp off = HttpApp.start(java, classpath, redis.uri(), false, work.resolve("off.log"))) {
      long usedBefore = usedMemory(redis);
      progress("warm-up");
      wrk.run(on.url(), 50, warm, "distinct", "warm-on");
      wrk.run(off.url(), 50, warm, "distinct", "warm-off");
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (int round = 1; round <= 2; round++) {
        progress("distinct users, round %d: lock on, lock off", round);
        add(runs, "distinct-on", measure(wrk, on, measure, "distinct", "on" + round));
        add(runs, "distinct-off", measure(wrk, off, measure, "distinct", "off" + round));
      }
      progress("one hot user and ticket: lock on (20 s), lock off");
      add(runs, "hot-on", measure(wrk, on, measure.multipliedBy(2), "hot", "hot-on"));
      add(runs, "hot-off", measure(wrk, off, measure, "hot", "hot-off"));
      RedisAfter memory = new RedisAfter(redis.keyCount(), usedBefore, usedMemory(redis));

      progress("outage timeline: redis-server killed at 10 s, restarted at 20 s");
      Outage outage = outage(wrk, on, redis, smoke);
      HttpLoadReport report = new HttpLoadReport(runs, outage, memory, loadAtStart,
          Wrk.loadAverage(), smoke);
      Files.createDirectories(out);
      Files.writeString(out.resolve("benchmarks-http.md"), report.render());
      HttpLoadReport.splice(out);
      for (String line : report.goalLines()) {
        progress("%s", line);
      }
      progress("wrote %s/benchmarks-http.md and its section in benchmarks.md", out);
    }
  }

  private static void add(Map<String, List<Run>> runs, String name, Run run) {
    runs.computeIfAbsent(name, n -> new ArrayList<>()).add(run);
  }

  private static Run measure(Wrk wrk, HttpApp app, Duration duration, String mode, String runId)
      throws Exception {
    double cpu = app.cpuSeconds();
    long lines = app.libraryLogLines();
    Wrk.Outcome outcome = wrk.run(app.url(), 50, duration, mode, runId);
    return new Run(runId, outcome, app.cpuSeconds() - cpu, app.libraryLogLines() - lines);
  }

  private static Outage outage(Wrk wrk, HttpApp app, RedisServer redis, boolean smoke)
      throws Exception {
    long phase = smoke ? 2_000 : 10_000;
    long start = System.currentTimeMillis();
    CompletableFuture<Wrk.Outcome> timeline = wrk.start(app.url(), 20,
        Duration.ofMillis(3 * phase), "distinct", "outage");
    Thread.sleep(phase);
    long kill = System.currentTimeMillis();
    redis.stop();
    Thread.sleep(phase);
    long restart = System.currentTimeMillis();
    redis.restart();
    Wrk.Outcome around = timeline.get();

    // 503 latency while the store is known down: one call finds it unreachable, then wrk
    redis.stop();
    long lines = app.libraryLogLines();
    while (app.purchase("down-probe", "1") != 503) {
      Thread.sleep(100);
    }
    Wrk.Outcome down = wrk.run(app.url(), 20, Duration.ofMillis(phase / 2), "distinct", "down");
    long downLines = app.libraryLogLines() - lines;
    redis.restart();
    return new Outage(start, kill, restart, around, down, downLines);
  }

  private static long usedMemory(RedisServer redis) {
    String used = redis.info("memory", "used_memory");
    return used == null ? -1 : Long.parseLong(used);
  }

  static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[http] " + format + "%n", args);
  }
}
