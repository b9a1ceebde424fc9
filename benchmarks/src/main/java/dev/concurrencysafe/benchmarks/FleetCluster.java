package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * A Redis Cluster of three masters (no replicas) of the chosen server on loopback, built with raw
 * CLUSTER ADDSLOTS / SET-CONFIG-EPOCH / MEET (no redis-cli needed). Its cluster-bus counters
 * ({@code CLUSTER INFO}) show what a lock release costs the other shards. Every node is killed on
 * close.
 *
 * <p>Thread-safety: not thread-safe; one driver thread.
 */
final class FleetCluster implements AutoCloseable {

  static final int MASTERS = 3;

  private final List<RedisServer> masters = new ArrayList<>();

  FleetCluster() {
    try {
      for (int i = 0; i < MASTERS; i++) {
        masters.add(
            RedisServer.start(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "1000"));
      }
      for (int i = 0; i < MASTERS; i++) {
        List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
        for (int slot = 16384 * i / MASTERS; slot < 16384 * (i + 1) / MASTERS; slot++) {
          addSlots.add(Integer.toString(slot));
        }
        check(masters.get(i).command(addSlots.toArray(String[]::new)));
        // distinct config epochs, as redis-cli --cluster create sets them
        check(masters.get(i).command("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1)));
      }
      String first = Integer.toString(masters.get(0).port());
      for (RedisServer node : masters.subList(1, MASTERS)) {
        check(node.command("CLUSTER", "MEET", "127.0.0.1", first));
      }
      for (RedisServer node : masters) {
        Await.until(
            "cluster ok on port " + node.port(),
            Duration.ofSeconds(30),
            () ->
                node.command("CLUSTER", "INFO").contains("cluster_state:ok")
                    && node.command("CLUSTER", "NODES").lines().count() == MASTERS);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A Redisson client in cluster mode with default settings, as a user would make it. */
  RedissonClient newClient() {
    Config config = new Config();
    var cluster = config.useClusterServers();
    masters.forEach(node -> cluster.addNodeAddress(node.uri()));
    return Redisson.create(config);
  }

  /** One {@code CLUSTER INFO} counter summed over the masters (0 where a server lacks it). */
  long sum(String field) {
    long total = 0;
    for (RedisServer node : masters) {
      for (String line : node.command("CLUSTER", "INFO").split("\r?\n")) {
        if (line.startsWith(field + ":")) {
          total += Long.parseLong(line.substring(field.length() + 1).trim());
        }
      }
    }
    return total;
  }

  private static void check(String reply) {
    if (!reply.equals("OK")) {
      throw new IllegalStateException("cluster setup: expected OK, got " + reply);
    }
  }

  @Override
  public void close() {
    for (RedisServer node : masters) {
      node.close();
    }
  }
}
