package dev.concurrencysafe.reliability;

import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
import java.util.ArrayList;
import java.util.List;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * A Redis Cluster of three masters and three replicas on loopback, built with raw CLUSTER ADDSLOTS
 * / MEET / REPLICATE commands (no redis-cli needed), node timeout 1 s. Every node is killed on
 * close.
 *
 * <p>Thread-safety: not thread-safe; one test at a time.
 */
final class ClusterSetup implements AutoCloseable {

  static final int MASTERS = 3;

  final List<RedisServer> masters = new ArrayList<>();
  final List<RedisServer> replicas = new ArrayList<>();

  ClusterSetup() {
    try {
      for (int i = 0; i < 2 * MASTERS; i++) {
        RedisServer node =
            RedisServer.start(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "1000");
        (i < MASTERS ? masters : replicas).add(node);
      }
      for (int i = 0; i < MASTERS; i++) {
        List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = 16384 * i / MASTERS; slot < 16384 * (i + 1) / MASTERS; slot++) {
          addSlots.add(Integer.toString(slot));
        }
        try (RespConnection master = new RespConnection(masters.get(i).port())) {
          check(master.call(addSlots));
          // Distinct config epochs, as redis-cli --cluster create sets them.
          check(master.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1)));
        }
      }
      int first = masters.get(0).port();
      for (RedisServer node : nodes()) {
        if (node.port() != first) {
          check(node.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(first)));
        }
      }
      for (RedisServer node : nodes()) {
        SentinelSetup.await(
            "node " + node.port() + " knows all nodes",
            () -> node.command("CLUSTER", "NODES").lines().count() == 2L * MASTERS);
      }
      for (int i = 0; i < MASTERS; i++) {
        String masterId = masters.get(i).command("CLUSTER", "MYID");
        RedisServer replica = replicas.get(i);
        check(replica.command("CLUSTER", "REPLICATE", masterId));
      }
      for (RedisServer node : nodes()) {
        SentinelSetup.await(
            "cluster ok on " + node.port(),
            () -> node.command("CLUSTER", "INFO").contains("cluster_state:ok"));
      }
      for (RedisServer replica : replicas) {
        SentinelSetup.await(
            "replica " + replica.port() + " in sync",
            () -> replica.command("INFO", "replication").contains("master_link_status:up"));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  List<RedisServer> nodes() {
    List<RedisServer> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /**
   * A Redisson client in cluster mode; topology re-scanned every second. Reads go to masters: the
   * tests' detector reads its counters with plain GETs, which Redisson would otherwise send to a
   * (lagging) replica. The library itself never reads from replicas (its scripts are writes).
   */
  RedissonClient client() {
    Config config = new Config();
    var cluster = config.useClusterServers().setScanInterval(1000).setReadMode(ReadMode.MASTER);
    nodes().forEach(node -> cluster.addNodeAddress(node.uri()));
    return Redisson.create(config);
  }

  /** The running node that serves {@code slot} as master, by asking that node itself. */
  RedisServer masterOf(int slot) {
    for (RedisServer node : nodes()) {
      if (node.isRunning() && node.command("ROLE").startsWith("master")) {
        for (String line : node.command("CLUSTER", "NODES").split("\n")) {
          if (line.contains("myself")) {
            String[] fields = line.split(" ");
            for (int f = 8; f < fields.length; f++) {
              String[] range = fields[f].split("-");
              int from = Integer.parseInt(range[0]);
              int to = range.length == 1 ? from : Integer.parseInt(range[1]);
              if (slot >= from && slot <= to) {
                return node;
              }
            }
          }
        }
      }
    }
    throw new AssertionError("no running master serves slot " + slot);
  }

  int slotOf(String key) {
    for (RedisServer node : nodes()) {
      if (node.isRunning()) {
        return Integer.parseInt(node.command("CLUSTER", "KEYSLOT", key));
      }
    }
    throw new AssertionError("no node running");
  }

  private static void check(String reply) {
    if (!reply.equals("OK")) {
      throw new IllegalStateException("cluster setup: " + reply);
    }
  }

  @Override
  public void close() {
    for (RedisServer node : nodes()) {
      node.close();
    }
  }
}
