package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP load benchmark ({@code benchmarks/http-run}): examples-helidon under Debian's {@code
 * wrk}. One app JVM serves {@code POST /purchases} with {@code @ConcurrencySafe} and, beside it,
 * the same endpoint's floors: no Redis call, two Redisson GETs, raw {@code RLock} and the DSL
 * ({@code LockFloors}). Each variant is warmed until its rate is stable, then all are measured
 * interleaved over several rounds; then one hot user and ticket, and an outage timeline
 * (redis-server killed and restarted mid-run). Writes {@code benchmarks-http.md} and splices it
 * into {@code benchmarks.md}.
 *
 * <p>Thread-safety: run once per JVM.
 */
public final class HttpLoadMain {

  /** The variants in measuring order: run name and the path wrk posts to. */
  static final Map<String, String> VARIANTS = variants();

  /** One measured wrk run with the app's CPU and library log lines over it. */
  record Run(String name, Wrk.Outcome wrk, double appCpuSeconds, long logLines) {
    double cpuMicrosPerRequest() {
      return appCpuSeconds * 1e6 / wrk.requests();
    }
  }

  /** How a variant's warm-up ended: the windows it took and the last two rates (req/s). */
  record WarmUp(
      String variant, int windows, double previousRate, double lastRate, boolean stable) {}

  /** The outage timeline: wall-clock ms of the kill and the restart, and the wrk run around it. */
  record Outage(
      long startMs,
      long killMs,
      long restartMs,
      Wrk.Outcome wrk,
      Wrk.Outcome down,
      long downLogLines) {}

  /** Redis after the load runs (before the outage emptied it). */
  record RedisAfter(long keys, long usedMemoryBefore, long usedMemoryAfter) {}

  /** Durations and counts of one run: the full one or the smoke one. */
  record Plan(
      Duration measure,
      Duration window,
      int maxWindows,
      int rounds,
      long outagePhaseMs,
      boolean smoke) {
    static Plan of(boolean smoke) {
      return smoke
          ? new Plan(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 1, 2_000, true)
          : new Plan(Duration.ofSeconds(10), Duration.ofSeconds(3), 12, 3, 10_000, false);
    }
  }

  /** Two consecutive warm-up windows within this fraction of each other: the rate is stable. */
  static final double STABLE = 0.05;

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
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "'; expected --java PATH --classpath CP [--out DIR] [--smoke]");
      }
    }
    if (java == null || classpath == null) {
      throw new IllegalArgumentException(
          "--java (a JDK 21+ java) and --classpath (examples-helidon's)"
              + " are required; benchmarks/http-run passes both");
    }
    run(java, classpath, out, Plan.of(smoke));
    System.exit(0);
  }

  static void run(String java, String classpath, Path out, Plan plan) throws Exception {
    Path work = Files.createTempDirectory("http-load-");
    Wrk wrk = Wrk.prepare(work);
    double loadAtStart = Wrk.loadAverage();
    progress("load average at start: %.2f", loadAtStart);
    try (RedisServer redis = RedisServer.start();
        HttpApp app = HttpApp.start(java, classpath, redis.uri(), true, work.resolve("app.log"))) {
      long usedBefore = usedMemory(redis);
      List<WarmUp> warmUps = new ArrayList<>();
      for (Map.Entry<String, String> variant : VARIANTS.entrySet()) {
        warmUps.add(warm(wrk, app, variant.getKey(), variant.getValue(), plan));
      }
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      List<String> order = new ArrayList<>(VARIANTS.keySet());
      for (int round = 1; round <= plan.rounds(); round++) {
        progress("distinct users, round %d of %d: %s", round, plan.rounds(), order);
        for (String variant : order) {
          add(
              runs,
              variant,
              measure(
                  wrk,
                  app,
                  Results.required(VARIANTS, variant),
                  plan.measure(),
                  "distinct",
                  variant + round));
        }
        Collections.rotate(order, 1); // no variant always runs first or right after another
      }
      progress("one hot user and ticket, @ConcurrencySafe");
      add(
          runs,
          "hot",
          measure(wrk, app, "/purchases", plan.measure().multipliedBy(2), "hot", "hot"));
      RedisAfter memory = new RedisAfter(redis.keyCount(), usedBefore, usedMemory(redis));

      progress("outage timeline: redis-server killed, then restarted");
      Outage outage = outage(wrk, app, redis, plan.outagePhaseMs());
      HttpLoadReport report =
          new HttpLoadReport(
              runs, warmUps, outage, memory, loadAtStart, Wrk.loadAverage(), plan.smoke());
      Files.createDirectories(out);
      Files.writeString(out.resolve("benchmarks-http.md"), report.render());
      HttpLoadReport.splice(out);
      for (String line : report.goalLines()) {
        progress("%s", line);
      }
      progress("wrote %s/benchmarks-http.md and its section in benchmarks.md", out);
    }
  }

  private static Map<String, String> variants() {
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("none", "/floor/none");
    variants.put("gets", "/floor/gets");
    variants.put("rlock", "/floor/rlock");
    variants.put("dsl", "/floor/dsl");
    variants.put("annotation", "/purchases");
    return Collections.unmodifiableMap(variants);
  }

  /** Runs wrk windows on one variant until two consecutive rates agree within {@link #STABLE}. */
  private static WarmUp warm(Wrk wrk, HttpApp app, String variant, String path, Plan plan)
      throws Exception {
    double previous = 0;
    for (int window = 1; window <= plan.maxWindows(); window++) {
      double rate =
          wrk.run(app.url(), path, 50, plan.window(), "distinct", "warm-" + variant + window)
              .requestsPerSecond();
      if (window > 1 && Math.abs(rate - previous) <= STABLE * previous) {
        progress(
            "warm-up %s: stable after %d windows (%.0f → %.0f req/s)",
            variant, window, previous, rate);
        return new WarmUp(variant, window, previous, rate, true);
      }
      if (window == plan.maxWindows()) {
        progress(
            "warm-up %s: not stable within %d windows (%.0f → %.0f req/s)",
            variant, window, previous, rate);
        return new WarmUp(variant, window, previous, rate, false);
      }
      previous = rate;
    }
    throw new IllegalStateException("maxWindows must be at least 1, got " + plan.maxWindows());
  }

  private static void add(Map<String, List<Run>> runs, String name, Run run) {
    runs.computeIfAbsent(name, n -> new ArrayList<>()).add(run);
  }

  private static Run measure(
      Wrk wrk, HttpApp app, String path, Duration duration, String mode, String runId)
      throws Exception {
    double cpu = app.cpuSeconds();
    long lines = app.libraryLogLines();
    Wrk.Outcome outcome = wrk.run(app.url(), path, 50, duration, mode, runId);
    return new Run(runId, outcome, app.cpuSeconds() - cpu, app.libraryLogLines() - lines);
  }

  private static Outage outage(Wrk wrk, HttpApp app, RedisServer redis, long phase)
      throws Exception {
    long start = System.currentTimeMillis();
    CompletableFuture<Wrk.Outcome> timeline =
        wrk.start(app.url(), 20, Duration.ofMillis(3 * phase), "distinct", "outage");
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
