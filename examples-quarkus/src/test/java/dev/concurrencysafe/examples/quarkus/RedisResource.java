package dev.concurrencysafe.examples.quarkus;

import dev.concurrencysafe.testing.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A real redis-server on a free loopback port for the application under test; its address reaches
 * the application as {@code concurrency-safe.redis.address}, as in production.
 *
 * <p>Thread-safety: Quarkus calls start and stop from one thread.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

  private @Nullable RedisServer redis;

  @Override
  public Map<String, String> start() {
    RedisServer started = RedisServer.start();
    redis = started;
    return Map.of("concurrency-safe.redis.address", started.uri());
  }

  @Override
  public void stop() {
    RedisServer started = redis;
    redis = null;
    if (started != null) {
      started.close();
    }
  }
}
