package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisServer;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * What every measure runs against: one real redis-server launched on a free loopback port, one
 * Redisson client shared by concurrency-safe and the baselines (so they pay the same client costs),
 * and a lock manager over that client. Closing stops the server, also after a failure.
 *
 * <p>Thread-safety: the client and manager are thread-safe; {@link #close()} is for one thread.
 */
final class Fixture implements AutoCloseable {

  private final RedisServer server;
  private final RedissonClient client;
  private final LockManager locks;

  private Fixture(RedisServer server, RedissonClient client, LockManager locks) {
    this.server = server;
    this.client = client;
    this.locks = locks;
  }

  static Fixture start() {
    RedisServer server = RedisServer.start();
    try {
      RedissonClient client = newClient(server.uri());
      return new Fixture(server, client, LockManager.redisson(client));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** A Redisson client with default settings apart from the address, as a user would make it. */
  static RedissonClient newClient(String uri) {
    Config config = new Config();
    config.useSingleServer().setAddress(uri);
    return Redisson.create(config);
  }

  RedisServer server() {
    return server;
  }

  RedissonClient client() {
    return client;
  }

  LockManager locks() {
    return locks;
  }

  @Override
  public void close() {
    try {
      locks.close();
      client.shutdown();
    } finally {
      server.close();
    }
  }
}
