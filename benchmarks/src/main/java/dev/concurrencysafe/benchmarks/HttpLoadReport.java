package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP load benchmark's section of docs/benchmarks.md: throughput and app CPU per request of
 * {@code @ConcurrencySafe} and the DSL against their floors (the same endpoint with no Redis call,
 * with two Redisson GETs, with raw {@code RLock}), the hot-key storm and its log lines, the outage
 * timeline, Redis after the runs, and the goals marked met or missed.
 *
 * <p>Thread-safety: immutable.
 */
final class HttpLoadReport {

  static final String START = "<!-- http-load:start -->";
  static final String END = "<!-- http-load:end -->";

  /** How long requests in flight at the kill may take to finish (a failed release included). */
  static final long IN_FLIGHT_MS = 500;

  /** The lock may cost the app at most this much CPU per request relative to raw RLock. */
  static final double GOAL_VS_RLOCK = 1.0;

  /** ... and at most this much relative to two plain GETs through the same client. */
  static final double GOAL_VS_GETS = 1.2;

  private final Map<String, List<HttpLoadMain.Run>> runs;
  private final List<HttpLoadMain.WarmUp> warmUps;
  private final HttpLoadMain.Outage outage;
  private final HttpLoadMain.RedisAfter redis;
  private final double loadAtStart;
  private final double loadAtEnd;
  private final boolean smoke;

  HttpLoadReport(
      Map<String, List<HttpLoadMain.Run>> runs,
      List<HttpLoadMain.WarmUp> warmUps,
      HttpLoadMain.Outage outage,
      HttpLoadMain.RedisAfter redis,
      double loadAtStart,
      double loadAtEnd,
      boolean smoke) {
    this.runs = runs;
    this.warmUps = List.copyOf(warmUps);
    this.outage = outage;
    this.redis = redis;
    this.loadAtStart = loadAtStart;
    this.loadAtEnd = loadAtEnd;
    this.smoke = smoke;
  }

  String render() {
    StringBuilder md = new StringBuilder();
    md.append("## 8. HTTP load: examples-helidon under wrk\n\n");
    if (smoke) {
      md.append("**SMOKE run: durations too short, numbers meaningless.**\n\n");
    }
    header(md);
    md.append(
        "| run | req/s | p50 ms | p99 ms | app CPU µs/request | 201 | 409 | 5xx |"
            + " load avg before → after |\n|---|---|---|---|---|---|---|---|---|\n");
    runs.forEach((name, list) -> list.forEach(run -> row(md, name, run)));
    new HttpFloors(runs).table(md);
    hotAndRedis(md);
    new OutageReport(outage).timeline(md);
    md.append("\n### Goals\n\n");
    if (loadAtStart > 4 || loadAtEnd > 4) {
      md.append(
          f(
              "**Too noisy for the ratios and tails**: the load average (%.1f → %.1f on 2"
                  + " cores) means other processes took much of the CPU during the runs. The variants"
                  + " ran interleaved, so they shared the noise, but ratios between them still move by"
                  + " tens of percent from run to run; the counts (log lines, 201s while down, keys left)"
                  + " do not depend on it.\n\n",
              loadAtStart, loadAtEnd));
    }
    md.append("| goal | measured | verdict |\n|---|---|---|\n");
    for (String[] goal : goals()) {
      md.append("| ")
          .append(goal[0])
          .append(" | ")
          .append(goal[1])
          .append(" | ")
          .append(goal[2])
          .append(" |\n");
    }
    return md.toString();
  }

  private void header(StringBuilder md) {
    md.append(
        f(
            "`benchmarks/http-run`: one examples-helidon JVM (Helidon 4) on a loopback"
                + " redis-server serves `POST /purchases` (the ticket shop, `@ConcurrencySafe`) and, beside"
                + " it, the same endpoint (same form, payment call and response) with no Redis call"
                + " (`none`), after two Redisson GETs (`gets`), under a raw Redisson `RLock`"
                + " tryLock/unlock (`rlock`) and under the DSL (`dsl`); the last three share one Redisson"
                + " client. `wrk -t2 -c50`, distinct users. Each variant was first warmed in %s windows"
                + " until two consecutive rates were within %.0f%%; then every variant ran %s per round,"
                + " %d rounds, interleaved (the order rotates each round). App CPU = the app JVM's user +"
                + " system time over the run per request. Load average (1 min) at start **%.2f**, at end"
                + " %.2f; with each run below. 2 cores shared by wrk, Redis, the app and other builds.\n\n",
            warmWindow(),
            HttpLoadMain.STABLE * 100,
            measureLength(),
            rounds(),
            loadAtStart,
            loadAtEnd));
    md.append("Warm-up: ");
    md.append(
        String.join(
            "; ",
            warmUps.stream()
                .map(
                    w ->
                        f(
                            "%s %s after %d windows (%.0f → %.0f" + " req/s)",
                            w.variant(),
                            w.stable() ? "stable" : "**not stable**",
                            w.windows(),
                            w.previousRate(),
                            w.lastRate()))
                .toList()));
    md.append(".\n\n");
  }

  private String warmWindow() {
    return smoke ? "1 s" : "3 s";
  }

  private String measureLength() {
    return f("%.0f s", Results.required(runs, "none").get(0).wrk().seconds());
  }

  private int rounds() {
    return Results.required(runs, "none").size();
  }

  private void hotAndRedis(StringBuilder md) {
    HttpLoadMain.Run hot = Results.required(runs, "hot").get(0);
    double linesPer10s = hot.logLines() / (hot.wrk().seconds() / 10);
    md.append(
        f(
            "\nOne hot user and ticket, `@ConcurrencySafe`, %.0f s: %,d × 201, %,d × 409,"
                + " %,d × 5xx; **%d library log lines** (%.1f per 10 s: refusals are logged in"
                + " aggregate).\n",
            hot.wrk().seconds(),
            hot.wrk().count(201),
            hot.wrk().count(409),
            fiveHundreds(hot.wrk()),
            hot.logLines(),
            linesPer10s));
    md.append(
        f(
            "\nRedis after these runs (%,d requests that took a lock): **%,d keys**,"
                + " used_memory %.2f MB → %.2f MB (%+.2f MB).\n",
            requestsWithLock(),
            redis.keys(),
            redis.usedMemoryBefore() / 1e6,
            redis.usedMemoryAfter() / 1e6,
            (redis.usedMemoryAfter() - redis.usedMemoryBefore()) / 1e6));
  }

  private void row(StringBuilder md, String name, HttpLoadMain.Run run) {
    Wrk.Outcome w = run.wrk();
    md.append(
        f(
            "| %s | %.0f | %.1f | %.1f | %.0f | %,d | %,d | %,d | %.2f → %.2f |\n",
            name,
            w.requestsPerSecond(),
            w.p50() / 1e3,
            w.p99() / 1e3,
            run.cpuMicrosPerRequest(),
            w.count(201),
            w.count(409),
            fiveHundreds(w),
            w.loadBefore(),
            w.loadAfter()));
  }

  /** Rows of (goal, measured, verdict). */
  List<String[]> goals() {
    List<String[]> goals = new ArrayList<>();
    new HttpFloors(runs).goals(goals);
    HttpLoadMain.Run hot = Results.required(runs, "hot").get(0);
    double linesPer10s = hot.logLines() / (hot.wrk().seconds() / 10);
    goals.add(
        goal(
            "same-key storm writes ≤ 10 log lines per 10 s",
            f(
                "%d lines in %.0f s (%,d" + " refusals)",
                hot.logLines(), hot.wrk().seconds(), hot.wrk().count(409)),
            linesPer10s <= 10));
    double noneP99 = runsOf("none").stream().mapToLong(r -> r.wrk().p99()).max().orElse(0) / 1e3;
    new OutageReport(outage).goals(goals, noneP99);
    goals.add(
        goal(
            "Redis keeps nothing for released locks",
            f("%,d keys after %,d requests", redis.keys(), requestsWithLock()),
            redis.keys() < 100));
    return goals;
  }

  List<String> goalLines() {
    return goals().stream().map(g -> g[2] + ": " + g[0] + ": " + g[1]).toList();
  }

  static String[] goal(String goal, String measured, boolean met) {
    return new String[] {goal, measured, met ? "met" : "**missed**"};
  }

  /** The runs of one kind; every kind the driver measures is present. */
  private List<HttpLoadMain.Run> runsOf(String name) {
    List<HttpLoadMain.Run> list = runs.get(name);
    if (list == null || list.isEmpty()) {
      throw new IllegalStateException("no '" + name + "' run was measured; runs: " + runs.keySet());
    }
    return list;
  }

  private long requestsWithLock() {
    return runs.entrySet().stream()
        .filter(e -> List.of("rlock", "dsl", "annotation", "hot").contains(e.getKey()))
        .flatMap(e -> e.getValue().stream())
        .mapToLong(r -> r.wrk().requests())
        .sum();
  }

  private static long fiveHundreds(Wrk.Outcome w) {
    return w.buckets().values().stream()
        .flatMap(row -> row.entrySet().stream())
        .filter(e -> e.getKey() >= 500)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Replaces (or appends) the section between the markers in {@code out/benchmarks.md}. */
  static void splice(Path out) throws IOException {
    Sections.splice(out, "benchmarks-http.md", START, END);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
