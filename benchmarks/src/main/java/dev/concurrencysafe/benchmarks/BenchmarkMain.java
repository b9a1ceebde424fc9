package dev.concurrencysafe.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one benchmark command: {@code java -jar benchmarks/target/benchmarks.jar [--smoke] [--out
 * DIR]}. Launches a redis-server, runs measures 1–7 (see docs/benchmarks.md) against raw Redisson
 * RLock, a SET NX / DEL lock with 100 ms polling and the bare RTT, and writes {@code
 * benchmarks.md}, {@code benchmarks.json} and {@code benchmarks-handover.svg} into {@code DIR}
 * (default {@code docs}). With {@code --fleet} it runs {@link FleetMain} instead.
 *
 * <p>Thread-safety: run once per JVM.
 */
public final class BenchmarkMain {

  /** Held so the level set below is not lost when the logger is garbage-collected. */
  private static final java.util.logging.Logger WELD_LOG =
      java.util.logging.Logger.getLogger("org.jboss.weld");

  static {
    // Redisson (slf4j) and Weld (java.util.logging) log their start-up at INFO; the benchmark's
    // own progress is what the reader wants.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    WELD_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /**
   * Lock commands of the script-based protocols (ours, RLock): every attempt is one script call.
   */
  private static final Set<String> SCRIPT_CALLS = Set.of("evalsha", "eval");

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    BenchSettings settings = BenchSettings.fullRun();
    Path out = Path.of("docs");
    boolean fleet = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke" -> settings = BenchSettings.smokeRun();
        case "--fleet" -> fleet = true;
        case "--out" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--out needs a directory, e.g. --out docs");
          }
          out = Path.of(args[++i]);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown argument '" + args[i] + "'; expected --fleet, --smoke and/or --out DIR");
      }
    }
    if (fleet) {
      FleetMain.run(settings.smoke(), out);
    } else {
      run(settings, out);
    }
    // Redisson's and JMH's non-daemon threads must not keep the command alive.
    System.exit(0);
  }

  /** Runs every measure and writes the three files into {@code out}; returns what was measured. */
  public static Results run(BenchSettings settings, Path out) throws Exception {
    long started = System.nanoTime();
    double loadAtStart = MachineInfo.loadAverage();
    Files.createDirectories(out);
    Results results;
    try (Fixture fixture = Fixture.start()) {
      progress("%s on %s", fixture.server().serverVersion(), fixture.server().uri());
      Map<String, String> uncontendedLabels = new LinkedHashMap<>();
      Map<String, CommandCounter.Count> cycleCommands = new LinkedHashMap<>();
      LatencyHarness latency = new LatencyHarness(settings);
      CommandCounter counter = new CommandCounter(fixture.server());
      Map<String, Distribution> uncontended =
          uncontended(fixture, settings, latency, counter, uncontendedLabels, cycleCommands);
      Map<String, String> refusedLabels = new LinkedHashMap<>();
      Map<String, CommandCounter.Count> refusedCommands = new LinkedHashMap<>();
      Map<String, Distribution> refused =
          refused(fixture, settings, latency, counter, refusedLabels, refusedCommands);
      Map<String, ContentionHarness.Outcome> contended = contention(fixture, settings, counter);

      progress("4/6 throughput, 32 threads, interleaved windows");
      Map<String, ThroughputHarness.Score> interleaved =
          new ThroughputHarness(32, settings.throughputWindow(), settings.throughputRounds())
              .measure(Contenders.distinctKeys(fixture.client(), fixture.locks()));
      progress("4/6 throughput, 32 threads (JMH)");
      Map<String, ThroughputRunner.Score> throughput =
          new ThroughputRunner(settings).run(fixture.server().uri());

      progress("6/6 memory: %,d distinct keys", settings.memoryKeys());
      MemoryProbe.Outcome memory =
          new MemoryProbe(settings, fixture.server(), fixture.client()).measure(fixture.locks());

      progress("7/7 client CPU per cycle");
      Map<String, CpuProbe.Score> cpu =
          CpuProbe.measureAll(
              fixture,
              new CpuProbe(settings.cyclesPerRound() * 10, Math.max(3, settings.rounds() / 3)));

      Results.Machine machine = MachineInfo.describe(fixture, settings, loadAtStart);
      results =
          new Results(
              machine,
              uncontendedLabels,
              uncontended,
              refusedLabels,
              refused,
              contended,
              throughput,
              interleaved,
              cycleCommands,
              refusedCommands,
              memory,
              cpu,
              interceptorNote(),
              (System.nanoTime() - started) / 1e9);
    }
    write(results, out);
    return results;
  }

  /** Measures 1 and 5 for the uncontended cycle; fills the labels and command counts. */
  private static Map<String, Distribution> uncontended(
      Fixture fixture,
      BenchSettings settings,
      LatencyHarness latency,
      CommandCounter counter,
      Map<String, String> labels,
      Map<String, CommandCounter.Count> commands)
      throws Exception {
    List<Variant> variants =
        new ArrayList<>(Variants.uncontended(fixture.client(), fixture.locks()));
    try (InterceptorRow interceptor = InterceptorRow.start(fixture.locks())) {
      variants.add(2, interceptor.variant());
      variants.forEach(v -> labels.put(v.id(), v.label()));
      progress("1/6 uncontended cycle");
      Map<String, Distribution> measured = latency.measure(variants);
      progress("5/6 commands per cycle");
      for (Variant v : variants) {
        commands.put(v.id(), counter.count(v.operation(), settings.commandCycles()));
      }
      return measured;
    }
  }

  /** Measures 2 and 5 for the refused request; fills the labels and command counts. */
  private static Map<String, Distribution> refused(
      Fixture fixture,
      BenchSettings settings,
      LatencyHarness latency,
      CommandCounter counter,
      Map<String, String> labels,
      Map<String, CommandCounter.Count> commands)
      throws Exception {
    progress("2/6 refused fail-fast");
    RefusedHolders holders = new RefusedHolders(fixture.client());
    try {
      var variants = Variants.refused(fixture.client(), fixture.locks());
      variants.forEach(v -> labels.put(v.id(), v.label()));
      Map<String, Distribution> measured = latency.measure(variants);
      progress("5/6 commands per refusal");
      for (Variant v : variants) {
        commands.put(v.id(), counter.count(v.operation(), settings.commandCycles()));
      }
      return measured;
    } finally {
      holders.close();
    }
  }

  /** Measure 3: 16 threads on one key, ours, raw RLock and 100 ms polling. */
  private static Map<String, ContentionHarness.Outcome> contention(
      Fixture fixture, BenchSettings settings, CommandCounter counter) throws Exception {
    ContentionHarness contention = new ContentionHarness(settings);
    Map<String, ContentionHarness.Outcome> contended = new LinkedHashMap<>();
    progress("3/6 contention: concurrency-safe");
    ContentionHarness.NotificationProbe probe = new ContentionHarness.NotificationProbe();
    Runnable stopProbe = Contenders.probeOurReleases(fixture.client(), probe);
    try {
      counter.reset();
      contended.put(
          "ours",
          contention
              .measure(Contenders.ours(fixture.locks(), Contenders.OUR_KEY), false, probe)
              .withLockCommands(counter.callsSinceReset(SCRIPT_CALLS)));
    } finally {
      stopProbe.run();
    }
    progress("3/6 contention: concurrency-safe, handOver(true)");
    counter.reset();
    contended.put(
        "handover",
        contention
            .measure(Contenders.ours(fixture.handOverLocks(), Contenders.HAND_OVER_KEY), false)
            .withLockCommands(counter.callsSinceReset(SCRIPT_CALLS)));
    progress("3/6 contention: raw RLock with wait");
    counter.reset();
    contended.put(
        "rlock",
        contention
            .measure(Contenders.rlock(fixture.client()), false)
            .withLockCommands(counter.callsSinceReset(SCRIPT_CALLS)));
    progress("3/6 contention: hand-rolled 100 ms polling");
    counter.reset();
    contended.put(
        "naive",
        contention
            .measure(Contenders.naivePolling(fixture.client()), true)
            .withLockCommands(counter.callsSinceReset(Set.of("set", "del"))));
    return contended;
  }

  /** Writes benchmarks.md (keeping the HTTP and fleet sections), .json and the chart. */
  private static void write(Results results, Path out) throws IOException {
    List<Goals.Goal> goals = Goals.evaluate(results);
    Files.writeString(out.resolve("benchmarks.md"), MarkdownReport.render(results, goals));
    HttpLoadReport.splice(out); // the HTTP load section (benchmarks/http-run) stays in the file
    Sections.spliceFleet(out); // and so do the fleet sections (benchmarks/run --fleet)
    Files.writeString(out.resolve("benchmarks.json"), JsonReport.render(results, goals));
    Files.writeString(
        out.resolve("benchmarks-handover.svg"),
        SvgChart.render(
            "Lock hand-over gap, 16 threads on one key (cumulative, log scale)",
            List.of(
                new SvgChart.Series(
                    "concurrency-safe",
                    "#1f77b4",
                    Results.required(results.contention(), "ours").gaps()),
                new SvgChart.Series(
                    "concurrency-safe, handOver(true)",
                    "#9467bd",
                    Results.required(results.contention(), "handover").gaps()),
                new SvgChart.Series(
                    "raw RLock", "#2ca02c", Results.required(results.contention(), "rlock").gaps()),
                new SvgChart.Series(
                    "naive 100 ms polling",
                    "#d62728",
                    Results.required(results.contention(), "naive").gaps())),
            results.rttP50Micros()));
    for (Goals.Goal g : goals) {
      progress(
          "goal %s %-6s %s: %s", g.measure(), g.met() ? "met" : "MISSED", g.goal(), g.measured());
    }
    progress(
        "wrote %s/benchmarks.{md,json} and benchmarks-handover.svg in %.0f s",
        out, results.totalSeconds());
  }

  static String interceptorNote() {
    return "The `@ConcurrencySafe` row runs an empty method of an `@ApplicationScoped` bean in a"
        + " Weld SE container whose interceptor uses the same lock manager as the DSL rows (given"
        + " to the extension as an application `LockManager` bean).";
  }

  static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
  }
}
