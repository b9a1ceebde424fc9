package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * The grant scripts on a Redis Cluster of three masters: every key, and the grant channel, in the
 * lock's slot; grants reach the waiting node; and with sharded pub/sub (Redis 7+, Valkey) nothing
 * crosses the cluster bus.
 */
class GrantProtocolClusterTest {

  static final List<RedisServer> masters = new ArrayList<>();
  final List<GrantNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    masters.addAll(startThreeMasters());
  }

  /**
   * Starts a Cluster of three masters; master i serves slots [16384 i / 3, 16384 (i + 1) / 3). The
   * caller closes them.
   */
  static List<RedisServer> startThreeMasters() {
    List<RedisServer> masters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      masters.add(
          RedisServer.start(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              "nodes.conf",
              "--cluster-node-timeout",
              "1000"));
    }
    for (int i = 0; i < 3; i++) {
      List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = 16384 * i / 3; slot < 16384 * (i + 1) / 3; slot++) {
        addSlots.add(Integer.toString(slot));
      }
      try (RespConnection master = new RespConnection(masters.get(i).port())) {
        assertEquals("OK", master.call(addSlots));
        assertEquals("OK", master.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1)));
      }
    }
    for (int i = 1; i < 3; i++) {
      masters
          .get(i)
          .command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(masters.get(0).port()));
    }
    for (RedisServer master : masters) {
      Await.until(
          "cluster ok on " + master.port(),
          Duration.ofSeconds(20),
          () ->
              master.command("CLUSTER", "INFO").contains("cluster_state:ok")
                  && master.command("CLUSTER", "NODES").lines().count() == 3);
    }
    return masters;
  }

  @AfterAll
  static void stopCluster() {
    masters.forEach(RedisServer::close);
    masters.clear();
  }

  @BeforeEach
  void flush() {
    masters.forEach(m -> m.command("FLUSHALL"));
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(GrantNode::close);
  }

  GrantNode node(String id) {
    Config config = new Config();
    var cluster = config.useClusterServers().setReadMode(ReadMode.MASTER);
    masters.forEach(m -> cluster.addNodeAddress(m.uri()));
    GrantNode node = new GrantNode(Redisson.create(config), id);
    nodes.add(node);
    return node;
  }

  /** Cluster-bus publish messages (classic and sharded) sent by all masters so far. */
  static long busPublishes() {
    long sum = 0;
    for (RedisServer master : masters) {
      for (String line : master.command("CLUSTER", "INFO").split("\r?\n")) {
        if (line.startsWith("cluster_stats_messages_publish") && line.contains("_sent:")) {
          sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    }
    return sum;
  }

  static long published() {
    return masters.stream()
        .mapToLong(m -> m.commandCalls("publish") + m.commandCalls("spublish"))
        .sum();
  }

  /** Keys whose locks live on at least two different masters. */
  static List<String> keysOnSeveralShards(int count) {
    List<String> keys = new ArrayList<>();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; keys.size() < count; i++) {
      String key = "shard" + i;
      int slot = Integer.parseInt(masters.get(0).command("CLUSTER", "KEYSLOT", "{" + key + "}"));
      if (slots.add(slot * 3 / 16384)) {
        keys.add(key);
      } else if (i > 1000) {
        throw new AssertionError("no keys on " + count + " shards");
      }
    }
    return keys;
  }

  @Test
  void uncontendedCyclesSendNothingOnTheBusNorPublish() {
    GrantNode a = node("a");
    long bus = busPublishes();
    long published = published();
    for (int i = 0; i < 300; i++) {
      String key = "u" + i;
      assertTrue(a.acquire(key, a.owner(i), 10_000, 0) > 0);
      assertEquals(1, a.release(key, a.owner(i), 0));
    }
    assertEquals(published, published());
    assertEquals(bus, busPublishes());
    for (RedisServer master : masters) {
      assertEquals(0, master.keyCount(), master.command("KEYS", "*"));
    }
  }

  @Test
  void grantsOnEveryShardReachTheWaitingNodeAndStayOffTheBusWithShardedPubSub() throws Exception {
    GrantNode a = node("a");
    GrantNode b = node("b");
    long bus = busPublishes();
    int n = 0;
    for (String key : keysOnSeveralShards(3)) {
      // owner tokens are unique per acquisition, as the protocol requires
      String holder = a.owner(n++);
      String first = b.owner(n++);
      String second = a.owner(n++);
      assertTrue(a.acquire(key, holder, 10_000, 0) > 0);
      assertTrue(b.acquire(key, first, 10_000, 30_000) < 0);
      assertTrue(a.acquire(key, second, 10_000, 30_000) < 0);
      assertEquals(2, a.release(key, holder, 0));
      long firstToken = b.grantOf(first).get(5, TimeUnit.SECONDS);
      assertEquals(firstToken, b.claim(key, first, 10_000));
      assertEquals(2, b.release(key, first, 0));
      long secondToken = a.grantOf(second).get(5, TimeUnit.SECONDS);
      assertTrue(secondToken > firstToken);
      assertEquals(secondToken, a.claim(key, second, 10_000));
      assertEquals(1, a.release(key, second, 0));
    }
    long crossed = busPublishes() - bus;
    if (GrantNode.SHARDED) {
      assertEquals(0, crossed, "SPUBLISH stays on the key's shard (no replicas here)");
    } else {
      // Redis 6.2 has no sharded pub/sub: a classic PUBLISH is broadcast to every other master
      assertTrue(crossed > 0, "classic PUBLISH crosses the bus on 6.2: " + crossed);
    }
  }

  @Test
  void aGrantChannelTheServerRefusesDoesNotFailTheRelease() {
    GrantNode a = node("a");
    List<String> keys = keysOnSeveralShards(2);
    String key = keys.get(0);
    // a channel in another slot: SPUBLISH from this key's script is refused by the cluster
    String foreign = GrantLayout.grantChannel(keys.get(1), "a");
    assertTrue(a.acquire(key, a.owner(0), 10_000, 0) > 0);
    assertTrue(a.acquire(key, a.owner(1), 10_000, 30_000, GrantLayout.SHARDED, foreign) < 0);
    assertEquals(2, a.release(key, a.owner(0), 0), "released and granted, not an error");
    assertEquals(2L, a.refresh(key, a.owner(1)).get(0), "the grantee's beat finds its grant");
    assertTrue(a.claim(key, a.owner(1), 10_000) > 0);
  }

  @Test
  void readModifyWriteThroughGrantsOnACluster() throws Exception {
    List<GrantNode> fleet = List.of(node("x"), node("y"), node("z"));
    fleet.forEach(n -> n.leaseMs = 600);
    RedissonClient reader = fleet.get(0).client;
    int threads = 2;
    int rounds = 25;
    ExecutorService pool = Executors.newFixedThreadPool(fleet.size() * threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < fleet.size() * threads; w++) {
        GrantNode node = fleet.get(w % fleet.size());
        int worker = w;
        workers.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    String owner = node.owner(worker * 1000 + r);
                    long token = node.acquire("hot", owner, 10_000, 30_000);
                    if (token < 0) {
                      token =
                          GrantProtocolTest.awaitGrant(
                              node, "hot", owner, 10_000, Duration.ofSeconds(30));
                    }
                    assertTrue(token > 0, "no grant within 30 s");
                    var counter = reader.<String>getBucket("{hot}:counter", StringCodec.INSTANCE);
                    String value = counter.get();
                    counter.set(Long.toString((value == null ? 0 : Long.parseLong(value)) + 1));
                    assertTrue(node.release("hot", owner, 0) > 0);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    String total = reader.<String>getBucket("{hot}:counter", StringCodec.INSTANCE).get();
    assertEquals(Integer.toString(fleet.size() * threads * rounds), total, "lost updates");
  }
}
