package dev.concurrencysafe.reliability;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisServer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.api.RedissonClient;

/**
 * {@link HandOverProcessCases} on a 3-master Cluster: each key's queue on its slot's master, grants
 * on the waiting node's own channel of the key (sharded pub/sub on Redis 7+ and Valkey).
 */
class HandOverProcessClusterTest extends HandOverProcessCases {

  private static ClusterSetup cluster;
  private static RedissonClient client;
  private static LockManager locks;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterSetup();
    client = cluster.client();
    locks = LockManager.builder().handOver(true).redisson(client);
  }

  @AfterAll
  static void stopCluster() {
    if (locks != null) {
      locks.close();
      client.shutdown();
    }
    cluster.close();
  }

  @Override
  protected String address() {
    return cluster.nodes().stream().map(RedisServer::uri).collect(Collectors.joining(","));
  }

  @Override
  protected LockManager locks() {
    return locks;
  }

  @Override
  protected long queued(String key) {
    String queue = "{" + key + "}:queue";
    return Long.parseLong(cluster.masterOf(cluster.slotOf(queue)).command("ZCARD", queue).trim());
  }

  @Override
  protected long keysLeft() {
    return cluster.nodes().stream()
        .filter(node -> node.isRunning() && node.command("ROLE").startsWith("master"))
        .mapToLong(RedisServer::keyCount)
        .sum();
  }

  @Override
  protected String topology() {
    return "Cluster";
  }
}
