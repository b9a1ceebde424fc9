package dev.concurrencysafe.internal;

import dev.concurrencysafe.testing.RedisServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.config.Config;

/** {@link GrantProcessCases} on one server. */
class GrantProcessTest extends GrantProcessCases {

  static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  List<RedisServer> masters() {
    return List.of(redis);
  }

  @Override
  Config config() {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri());
    return config;
  }
}
