package dev.concurrencysafe.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fleet section of docs/benchmarks.md for one server: the uncontended, hot-key and Cluster
 * tables, ours beside raw RLock, and the fleet goals marked met or missed.
 *
 * <p>Thread-safety: immutable.
 */
final class FleetReport {

  /** The protocols of the tables, in their order. */
  private static final List<String> PROTOCOLS = List.of("handover", "ours", "rlock");

  /** The protocol the fleet goals are for: the one built for fleets. */
  private static final String FLEET = "handover";

  private final String server;
  private final List<FleetMain.Uncontended> uncontended;
  private final List<FleetMain.Hot> hot;
  private final List<FleetMain.ClusterBus> cluster;
  private final double loadAtStart;
  private final double loadAtEnd;
  private final boolean smoke;

  FleetReport(
      String server,
      List<FleetMain.Uncontended> uncontended,
      List<FleetMain.Hot> hot,
      List<FleetMain.ClusterBus> cluster,
      double loadAtStart,
      double loadAtEnd,
      boolean smoke) {
    this.server = server;
    this.uncontended = List.copyOf(uncontended);
    this.hot = List.copyOf(hot);
    this.cluster = List.copyOf(cluster);
    this.loadAtStart = loadAtStart;
    this.loadAtEnd = loadAtEnd;
    this.smoke = smoke;
  }

  /** "redis-7.0.15", "valkey-8.0.1": names the section's file and markers. */
  String slug() {
    return server.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-");
  }

  String render() {
    StringBuilder md = new StringBuilder();
    md.append(f("## Fleet: %s\n\n", server));
    if (smoke) {
      md.append("**SMOKE run: counts too small, numbers meaningless.**\n\n");
    }
    md.append(
        f(
            "`benchmarks/run --fleet`: each node is its own Redisson client and lock"
                + " manager, all in one JVM (so the process CPU is the whole fleet's client CPU), on a"
                + " loopback %s. Ours (with `handOver(true)`, the protocol for fleets, and with the"
                + " default) and raw Redisson `RLock` ran side by side on the same fleet; the goals are"
                + " for `handOver(true)`. Load"
                + " average (1 min) at start %.2f, at end %.2f, on 2 cores shared with other builds: CPU"
                + " figures move by tens of percent between runs when it is above 2; the counts (commands,"
                + " cluster-bus messages) do not.\n\n",
            server, loadAtStart, loadAtEnd));
    uncontendedTable(md);
    hotTable(md);
    clusterTable(md);
    md.append("\n### Fleet goals\n\n| goal | measured | verdict |\n|---|---|---|\n");
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

  private void uncontendedTable(StringBuilder md) {
    md.append(
        "Uncontended cycles on distinct keys, one node driving; every other node has waited"
            + " once (for a held key, and timed out). Per cycle, the least over the rounds"
            + " (16 nodes: growth over 1 node):\n\n");
    md.append(
        "| protocol | Redis CPU, 1 node | Redis CPU, 16 nodes | fleet client CPU, 1 node |"
            + " fleet client CPU, 16 nodes |\n|---|---|---|---|---|\n");
    for (String protocol : PROTOCOLS) {
      md.append(
          f(
              "| %s | %.0f µs | **%.0f µs (%.2f×)** | %.0f µs | **%.0f µs (%.2f×)** |\n",
              label(protocol),
              u(protocol, 1).redisMicros(),
              u(protocol, 16).redisMicros(),
              redisGrowth(protocol),
              u(protocol, 1).clientMicros(),
              u(protocol, 16).clientMicros(),
              clientGrowth(protocol)));
    }
  }

  private void hotTable(StringBuilder md) {
    md.append(
        "\nOne hot key: N nodes × 2 threads waiting, 1 ms body (a read-modify-write of one"
            + " counter that loses an update if two bodies overlap). Redis commands per body from"
            + " INFO commandstats (the benchmark's own INFO excluded), Redis CPU from INFO cpu:\n\n");
    md.append(
        "| N nodes × 2 threads | bodies | commands per body | Redis CPU per body | lost"
            + " updates | commands per body by name |\n|---|---|---|---|---|---|\n");
    for (FleetMain.Hot h : hot) {
      md.append(
          f(
              "| %s, %d × 2 | %,d | %.1f | %.0f µs | %d | %s |\n",
              label(h.protocol()),
              h.nodes(),
              h.bodies(),
              h.commandsPerBody(),
              h.redisMicrosPerBody(),
              h.lostUpdates(),
              h.byCommand()));
    }
  }

  private void clusterTable(StringBuilder md) {
    md.append(
        f(
            "\nRedis Cluster, %d masters of %s: uncontended cycles on distinct keys, one"
                + " node; cluster-bus messages per release, summed over the masters (CLUSTER INFO"
                + " cluster_stats_messages_publish_sent/received, publishshard_sent; Valkey 8 counts its"
                + " light-header publish messages only where they are received):\n\n",
            FleetCluster.MASTERS, server));
    md.append(
        "| protocol | releases | publish sent | publish received | publishshard sent |\n"
            + "|---|---|---|---|---|\n");
    for (FleetMain.ClusterBus c : cluster) {
      md.append(
          f(
              "| %s | %,d | %.2f | %.2f | %.2f |\n",
              label(c.protocol()),
              c.releases(),
              c.publishSent(),
              c.publishReceived(),
              c.shardSent()));
    }
  }

  /** Rows of (goal, measured, verdict). */
  List<String[]> goals() {
    List<String[]> goals = new ArrayList<>();
    goals.add(
        goal(
            "Redis CPU per uncontended cycle, 16 nodes ≤ 1.1× 1 node",
            f(
                "%.2f× (%.0f vs %.0f µs)",
                redisGrowth(FLEET), u(FLEET, 16).redisMicros(), u(FLEET, 1).redisMicros()),
            redisGrowth(FLEET) <= 1.1));
    goals.add(
        goal(
            "fleet client CPU per uncontended cycle, 16 nodes ≤ 1.1× 1 node",
            f(
                "%.2f× (%.0f vs %.0f µs)",
                clientGrowth(FLEET), u(FLEET, 16).clientMicros(), u(FLEET, 1).clientMicros()),
            clientGrowth(FLEET) <= 1.1));
    double vsRlock = u(FLEET, 16).redisMicros() / u("rlock", 16).redisMicros();
    goals.add(
        goal(
            "Redis CPU per uncontended cycle ≤ 1.0× RLock's (16 nodes)",
            f("%.2f×", vsRlock),
            vsRlock <= 1.0));
    FleetMain.ClusterBus ours =
        cluster.stream().filter(c -> c.protocol().equals(FLEET)).findFirst().orElseThrow();
    // Valkey 8 sends publish messages with a light header that its sender does not count under
    // publish_sent; the receivers count them: judge on whichever side saw more.
    double crossing = Math.max(ours.publishSent(), ours.publishReceived());
    goals.add(
        goal(
            "cluster-bus publish messages per uncontended release = 0",
            f(
                "%.2f (sent %.2f, received %.2f)",
                crossing, ours.publishSent(), ours.publishReceived()),
            crossing == 0));
    hotKeyGoals(goals);
    long lost =
        hot.stream()
            .filter(x -> !x.protocol().equals("rlock"))
            .mapToLong(FleetMain.Hot::lostUpdates)
            .sum();
    goals.add(
        goal("no two bodies overlap on the hot key (lost updates)", f("%d", lost), lost == 0));
    return goals;
  }

  /** The hot key's goals: 8 nodes × 2 threads against 1 node and against raw RLock. */
  private void hotKeyGoals(List<String[]> goals) {
    FleetMain.Hot one = h(FLEET, 1);
    FleetMain.Hot eight = h(FLEET, 8);
    FleetMain.Hot rlockEight = h("rlock", 8);
    goals.add(
        goal(
            "hot key 8 × 2: commands per body ≤ 1.2× the 1-node figure",
            f(
                "%.1f vs %.1f = %.2f×",
                eight.commandsPerBody(),
                one.commandsPerBody(),
                eight.commandsPerBody() / one.commandsPerBody()),
            eight.commandsPerBody() <= 1.2 * one.commandsPerBody()));
    goals.add(
        goal(
            "hot key 8 × 2: commands per body ≤ 0.6× RLock's",
            f(
                "%.1f vs %.1f = %.2f×",
                eight.commandsPerBody(),
                rlockEight.commandsPerBody(),
                eight.commandsPerBody() / rlockEight.commandsPerBody()),
            eight.commandsPerBody() <= 0.6 * rlockEight.commandsPerBody()));
    goals.add(
        goal(
            "hot key 8 × 2: Redis CPU per body ≤ 0.6× RLock's",
            f(
                "%.0f vs %.0f µs = %.2f×",
                eight.redisMicrosPerBody(),
                rlockEight.redisMicrosPerBody(),
                eight.redisMicrosPerBody() / rlockEight.redisMicrosPerBody()),
            eight.redisMicrosPerBody() <= 0.6 * rlockEight.redisMicrosPerBody()));
  }

  private double redisGrowth(String protocol) {
    return u(protocol, 16).redisMicros() / u(protocol, 1).redisMicros();
  }

  private double clientGrowth(String protocol) {
    return u(protocol, 16).clientMicros() / u(protocol, 1).clientMicros();
  }

  private FleetMain.Uncontended u(String protocol, int nodes) {
    return uncontended.stream()
        .filter(x -> x.protocol().equals(protocol) && x.nodes() == nodes)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no uncontended row for " + protocol + " at " + nodes + " node(s)"));
  }

  private FleetMain.Hot h(String protocol, int nodes) {
    return hot.stream()
        .filter(x -> x.protocol().equals(protocol) && x.nodes() == nodes)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no hot-key row for " + protocol + " at " + nodes + " node(s)"));
  }

  private static String label(String protocol) {
    return switch (protocol) {
      case "handover" -> "concurrency-safe, handOver(true)";
      case "ours" -> "concurrency-safe, default";
      default -> "raw RLock";
    };
  }

  private static String[] goal(String goal, String measured, boolean met) {
    return new String[] {goal, measured, met ? "met" : "**missed**"};
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
