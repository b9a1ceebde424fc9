package dev.concurrencysafe.internal;

import dev.concurrencysafe.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * {@link GrantProcessCases} on a Cluster of three masters: every node, in this JVM and in the
 * worker JVMs, is a Cluster client, and each key's lock, queue and grant channel live on the master
 * of its slot.
 */
class GrantProcessClusterTest extends GrantProcessCases {

  static final List<RedisServer> masters = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    masters.addAll(GrantProtocolClusterTest.startThreeMasters());
  }

  @AfterAll
  static void stopCluster() {
    masters.forEach(RedisServer::close);
    masters.clear();
  }

  @Override
  List<RedisServer> masters() {
    return masters;
  }

  @Override
  Config config() {
    Config config = new Config();
    var cluster = config.useClusterServers().setReadMode(ReadMode.MASTER);
    masters.forEach(m -> cluster.addNodeAddress(m.uri()));
    return config;
  }
}
