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
  private final LockManager handOverLocks;

  private Fixture(RedisServer server, RedissonClient client) {
    this.server = server;
    this.client = client;
    this.locks = LockManager.redisson(client);
    this.handOverLocks = LockManager.builder().handOver(true).redisson(client);
  }

  static Fixture start() {
    RedisServer server = RedisServer.start();
    try {
      RedissonClient client = newClient(server.uri());
      return new Fixture(server, client);
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

  /** A manager with {@code handOver(true)} on the same client. */
  LockManager handOverLocks() {
    return handOverLocks;
  }

  @Override
  public void close() {
    try {
      locks.close();
      handOverLocks.close();
      client.shutdown();
    } finally {
      server.close();
    }
  }
}
