package dev.concurrencysafe.reliability;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.api.RedissonClient;

/** {@link HandOverProcessCases} on one server. */
class HandOverProcessTest extends HandOverProcessCases {

  private static RedisServer redis;
  private static RedissonClient client;
  private static LockManager locks;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    client = Clients.single(redis.port());
    locks = LockManager.builder().handOver(true).redisson(client);
  }

  @AfterAll
  static void stopRedis() {
    locks.close();
    client.shutdown();
    redis.close();
  }

  @Override
  protected String address() {
    return Integer.toString(redis.port());
  }

  @Override
  protected LockManager locks() {
    return locks;
  }

  @Override
  protected long queued(String key) {
    return Long.parseLong(redis.command("ZCARD", "{" + key + "}:queue").trim());
  }

  @Override
  protected long keysLeft() {
    return redis.keyCount();
  }

  @Override
  protected String topology() {
    return "one server";
  }
}
