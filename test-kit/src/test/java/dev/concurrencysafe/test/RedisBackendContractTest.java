package dev.concurrencysafe.test;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.spi.LockBackend;
import dev.concurrencysafe.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The built-in Redis backend, on a real redis-server, passes the contract. */
class RedisBackendContractTest extends LockBackendContract {

  private static RedisServer server;
  private static RedissonClient client;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    Config config = new Config();
    config.useSingleServer().setAddress(server.uri()).setTimeout(1000).setConnectTimeout(1000);
    client = Redisson.create(config);
  }

  @AfterAll
  static void stopRedis() {
    client.shutdown();
    server.close();
  }

  @BeforeEach
  void flush() {
    server.command("FLUSHALL");
  }

  /** The client of the server the suite runs on. */
  static RedissonClient client() {
    return client;
  }

  @Override
  protected LockBackend newBackend() {
    return LockManager.builder().redissonBackend(client);
  }

  @Override
  protected long storedEntries() {
    return server.keyCount();
  }
}
