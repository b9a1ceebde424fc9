package dev.concurrencysafe.reliability;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * Redisson clients as an application would configure them. Timeouts are Redisson's defaults unless
 * a scenario says otherwise: the library's own unavailable timeout must bound every call whatever
 * the client does.
 *
 * <p>Thread-safety: stateless.
 */
final class Clients {

  private Clients() {}

  static RedissonClient single(String address) {
    Config config = new Config();
    config.useSingleServer().setAddress(address);
    return Redisson.create(config);
  }

  static RedissonClient single(int port) {
    return single("redis://127.0.0.1:" + port);
  }

  /** A child JVM's client: {@code port} of one server, or a Cluster's comma-separated node URIs. */
  static RedissonClient of(String address) {
    if (!address.contains(",")) {
      return single(Integer.parseInt(address));
    }
    Config config = new Config();
    config
        .useClusterServers()
        .setScanInterval(1000)
        .setReadMode(ReadMode.MASTER)
        .addNodeAddress(address.split(","));
    return Redisson.create(config);
  }
}
