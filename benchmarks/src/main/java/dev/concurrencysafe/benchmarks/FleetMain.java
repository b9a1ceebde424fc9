package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.testing.CommandStat;
import dev.concurrencysafe.testing.RedisServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fleet mode of {@code benchmarks/run --fleet}: what one lock costs Redis and the fleet as the
 * number of application nodes grows, side by side with raw Redisson {@code RLock} in the same run.
 * Uncontended cycles at 1 and 16 nodes (Redis CPU and fleet client CPU per cycle), one hot key at
 * 1, 4 and 8 nodes × 2 threads with a 1 ms body (Redis commands and CPU per body), and a 3-master
 * Cluster (cluster-bus publish messages per release). Writes {@code benchmarks-fleet-<server>.md}
 * and splices it into {@code benchmarks.md}.
 *
 * <p>Thread-safety: run once per JVM.
 */
final class FleetMain {

  /** Sizes and durations of one run: the published one or the smoke one. */
  record Plan(
      int cycles,
      int rounds,
      Duration hotRun,
      int clusterCycles,
      List<Integer> fleetSizes,
      List<Integer> hotSizes,
      boolean smoke) {
    static Plan of(boolean smoke) {
      return smoke
          ? new Plan(200, 1, Duration.ofMillis(500), 100, List.of(1, 16), List.of(1, 4, 8), true)
          : new Plan(
              3_000, 3, Duration.ofSeconds(5), 1_000, List.of(1, 16), List.of(1, 4, 8), false);
    }
  }

  /** Per uncontended cycle at one fleet size: µs of Redis CPU and of the fleet's client CPU. */
  record Uncontended(String protocol, int nodes, double redisMicros, double clientMicros) {}

  /**
   * Per body on one hot key: Redis commands and µs of Redis CPU; lost updates seen; the commands
   * per body by name, most first ("evalsha 4.1, publish 1.0, …"), where the work goes.
   */
  record Hot(
      String protocol,
      int nodes,
      long bodies,
      double commandsPerBody,
      double redisMicrosPerBody,
      long lostUpdates,
      String byCommand) {}

  /** Cluster-bus messages per uncontended release, summed over the masters. */
  record ClusterBus(
      String protocol,
      int releases,
      double publishSent,
      double publishReceived,
      double shardSent) {}

  private static final List<Fleet.Protocol> PROTOCOLS =
      List.of(Fleet.OURS, Fleet.HAND_OVER, Fleet.RLOCK);
  private static final Duration WAIT_ONCE = Duration.ofMillis(200);

  private FleetMain() {}

  static void run(boolean smoke, Path out) throws Exception {
    Plan plan = Plan.of(smoke);
    double loadAtStart = MachineInfo.loadAverage();
    List<Uncontended> uncontended = new ArrayList<>();
    List<Hot> hot = new ArrayList<>();
    String server;
    try (RedisServer redis = RedisServer.start()) {
      server = redis.serverVersion();
      progress("%s; load average %.2f", server, loadAtStart);
      for (int size : plan.fleetSizes()) {
        progress("uncontended cycles, %d node(s)", size);
        uncontended.addAll(uncontended(redis, size, plan));
      }
      for (int size : plan.hotSizes()) {
        progress("one hot key, %d node(s) × 2 threads, 1 ms body", size);
        for (Fleet.Protocol protocol : PROTOCOLS) {
          hot.add(hot(redis, size, protocol, plan.hotRun()));
        }
      }
    }
    progress("3-master cluster: cluster-bus messages per release");
    List<ClusterBus> cluster = cluster(plan.clusterCycles());
    FleetReport report =
        new FleetReport(
            server, uncontended, hot, cluster, loadAtStart, MachineInfo.loadAverage(), smoke);
    Files.createDirectories(out);
    String file = "benchmarks-fleet-" + report.slug() + ".md";
    Files.writeString(out.resolve(file), report.render());
    Sections.spliceFleet(out);
    report.goals().forEach(g -> progress("%s: %s: %s", g[2], g[0], g[1]));
    progress("wrote %s/%s and its section in benchmarks.md", out, file);
  }

  /** Both protocols on one fleet, rounds interleaved; each figure is the least over the rounds. */
  private static List<Uncontended> uncontended(RedisServer redis, int size, Plan plan)
      throws Exception {
    Map<String, double[]> least = new LinkedHashMap<>();
    try (Fleet fleet = Fleet.of(size, () -> Fixture.newClient(redis.uri()))) {
      for (Fleet.Protocol protocol : PROTOCOLS) {
        fleet.waitOnce(protocol, "fleet:" + protocol.id() + ":waited-once", WAIT_ONCE);
        cycles(fleet, protocol, "warm", plan.cycles() / 2);
        least.put(protocol.id(), new double[] {Double.MAX_VALUE, Double.MAX_VALUE});
      }
      for (int round = 0; round < plan.rounds(); round++) {
        for (Fleet.Protocol protocol : PROTOCOLS) {
          double redisBefore = redisCpuSeconds(redis);
          long clientBefore = processCpuNanos();
          cycles(fleet, protocol, "r" + round, plan.cycles());
          double[] min = Results.required(least, protocol.id());
          min[0] = Math.min(min[0], (redisCpuSeconds(redis) - redisBefore) * 1e6 / plan.cycles());
          min[1] = Math.min(min[1], (processCpuNanos() - clientBefore) / 1e3 / plan.cycles());
        }
      }
    }
    List<Uncontended> rows = new ArrayList<>();
    least.forEach((id, min) -> rows.add(new Uncontended(id, size, min[0], min[1])));
    return rows;
  }

  /** The first node cycles distinct keys; the others are idle (they have waited once). */
  private static void cycles(Fleet fleet, Fleet.Protocol protocol, String run, int cycles)
      throws Exception {
    Fleet.Node driver = fleet.nodes.get(0);
    for (int i = 0; i < cycles; i++) {
      protocol.cycle(driver, "fleet:" + protocol.id() + ":" + run + ":" + i);
    }
  }

  /**
   * Every node runs two threads that wait for one key and run a 1 ms body; the body is a non-atomic
   * read-modify-write of one counter, so two bodies that overlap lose an update.
   */
  private static Hot hot(RedisServer redis, int size, Fleet.Protocol protocol, Duration run)
      throws Exception {
    try (Fleet fleet = Fleet.of(size, () -> Fixture.newClient(redis.uri()))) {
      String key = "fleet:" + protocol.id() + ":hot:" + size;
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong bodies = new AtomicLong();
      AtomicLong shared = new AtomicLong();
      Runnable body =
          () -> {
            long seen = shared.get(); // read, work, write: not atomic on purpose
            sleepOneMilli();
            shared.set(seen + 1);
            bodies.incrementAndGet();
          };
      fleet.waitOnce(protocol, key + ":warm", WAIT_ONCE);
      Map<String, Long> callsBefore = redisCallsByCommand(redis);
      double cpuBefore = redisCpuSeconds(redis);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (Fleet.Node node : fleet.nodes) {
        for (int t = 0; t < 2; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    try {
                      while (!stop.get()) {
                        protocol.waitFor(node, key, Duration.ofSeconds(30), body);
                      }
                    } catch (Exception | Error e) {
                      failures.add(e);
                    }
                  });
          thread.start();
          threads.add(thread);
        }
      }
      Thread.sleep(run.toMillis()); // the measured interval itself
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException("a hot-key thread failed", failures.get(0));
      }
      double cpu = redisCpuSeconds(redis) - cpuBefore;
      long n = bodies.get();
      Map<String, Long> calls = callsSince(redis, callsBefore);
      long total = calls.values().stream().mapToLong(Long::longValue).sum();
      String byCommand = perBody(calls, n);
      return new Hot(
          protocol.id(), size, n, total / (double) n, cpu * 1e6 / n, n - shared.get(), byCommand);
    }
  }

  /** Redis's calls per command since {@code before}. */
  private static Map<String, Long> callsSince(RedisServer redis, Map<String, Long> before) {
    Map<String, Long> calls = new java.util.TreeMap<>();
    redisCallsByCommand(redis)
        .forEach((command, after) -> calls.put(command, after - before.getOrDefault(command, 0L)));
    return calls;
  }

  /** "evalsha 2.0, publish 1.0": the commands per body, most first. */
  private static String perBody(Map<String, Long> calls, long bodies) {
    return calls.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / (double) bodies))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private static List<ClusterBus> cluster(int cycles) throws Exception {
    List<ClusterBus> rows = new ArrayList<>();
    try (FleetCluster cluster = new FleetCluster();
        Fleet fleet = Fleet.of(1, cluster::newClient)) {
      for (Fleet.Protocol protocol : PROTOCOLS) {
        cycles(fleet, protocol, "cluster-warm", Math.min(cycles, 100));
        settled(cluster);
        long sent = cluster.sum("cluster_stats_messages_publish_sent");
        long received = cluster.sum("cluster_stats_messages_publish_received");
        long shard = cluster.sum("cluster_stats_messages_publishshard_sent");
        cycles(fleet, protocol, "cluster", cycles);
        settled(cluster);
        rows.add(
            new ClusterBus(
                protocol.id(),
                cycles,
                (cluster.sum("cluster_stats_messages_publish_sent") - sent) / (double) cycles,
                (cluster.sum("cluster_stats_messages_publish_received") - received)
                    / (double) cycles,
                (cluster.sum("cluster_stats_messages_publishshard_sent") - shard)
                    / (double) cycles));
      }
    }
    return rows;
  }

  /**
   * Waits until the bus counters stop moving (a message is counted where it is received some time
   * after its publish), so that one protocol's messages are not counted in the next one's window.
   */
  private static void settled(FleetCluster cluster) throws InterruptedException {
    long last = -1;
    int still = 0;
    for (int poll = 0; poll < 100 && still < 3; poll++) {
      long now =
          cluster.sum("cluster_stats_messages_publish_received")
              + cluster.sum("cluster_stats_messages_publish_sent");
      still = now == last ? still + 1 : 0;
      last = now;
      Thread.sleep(50); // a benchmark's settle poll, not a test's synchronisation
    }
  }

  private static void sleepOneMilli() {
    try {
      Thread.sleep(1); // the body's work
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in the body", e);
    }
  }

  /** Redis's own CPU time so far (INFO cpu: used_cpu_sys + used_cpu_user), in seconds. */
  static double redisCpuSeconds(RedisServer redis) {
    String sys = redis.info("cpu", "used_cpu_sys");
    String user = redis.info("cpu", "used_cpu_user");
    if (sys == null || user == null) {
      throw new IllegalStateException("INFO cpu lacks used_cpu_sys/used_cpu_user");
    }
    return Double.parseDouble(sys) + Double.parseDouble(user);
  }

  /** Commands Redis ran so far by name (INFO commandstats), the benchmark's own INFO excluded. */
  static Map<String, Long> redisCallsByCommand(RedisServer redis) {
    Map<String, Long> calls = new java.util.TreeMap<>();
    for (CommandStat stat : redis.commandStats()) {
      if (!stat.command().equals("info")) {
        calls.merge(stat.command(), stat.calls(), Long::sum);
      }
    }
    return calls;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void progress(String format, Object... args) {
    System.out.printf(Locale.ROOT, "[fleet] " + format + "%n", args);
  }
}
