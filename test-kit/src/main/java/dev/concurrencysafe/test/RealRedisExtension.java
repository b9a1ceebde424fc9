package dev.concurrencysafe.test;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisExtension;
import dev.concurrencysafe.testing.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Starts a real {@code redis-server} (or {@code valkey-server}) for a test class and hands its
 * {@link LockManager}, {@link RedissonClient} or {@link RedisServer} to any test or lifecycle
 * method that declares one as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(RealRedisExtension.class)
 * class CheckoutTest {
 *   @Test
 *   void aDoubleSubmitIsRefused(LockManager locks) { ... }
 * }
 * }</pre>
 *
 * <p>The server is the one on the {@code PATH} ({@code redis-server}, else {@code valkey-server}),
 * else the binary shipped in the embedded-redis jar; the {@code CONCURRENCY_SAFE_REDIS_SERVER}
 * environment variable or the {@code concurrency-safe.redis-server} system property picks one (a
 * path, a name on the PATH, or {@code embedded}). It listens on a free loopback port, starts before
 * the class's first test and is stopped, with the client and the manager, after its last. The
 * database is emptied ({@code FLUSHALL}) before each test, so tests do not see each other's locks
 * or cooldowns; nested test classes share their enclosing class's server.
 *
 * <p>Runs on JUnit Jupiter 5.10 to 6.x (it uses only API present in all of them); on an older
 * Jupiter it fails the class with a message naming both versions.
 *
 * <p>Thread-safety: the injected manager and client are thread-safe; the lifecycle is JUnit's.
 */
public final class RealRedisExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealRedisExtension.class);

  /** For {@code @ExtendWith}. */
  public RealRedisExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    JupiterVersion.requireSupported();
    // a nested class finds its enclosing class's server (stores look up their parents)
    context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Running.class, ignored -> Running.start(context), Running.class);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Running running = running(context);
    running.redis.beforeEach(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // only the class that started the server finds it in its own store (remove does not look
    // up the parents); stopped here rather than by the store, which closes values only on some
    // Jupiter versions
    Running running = context.getStore(NAMESPACE).remove(Running.class, Running.class);
    if (running != null) {
      running.stop(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LockManager.class || type == RedissonClient.class || type == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running running = running(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == LockManager.class) {
      return running.locks;
    }
    if (type == RedissonClient.class) {
      return running.client;
    }
    if (type == RedisServer.class) {
      return running.redis.server();
    }
    throw new ParameterResolutionException(
        "RealRedisExtension injects LockManager, RedissonClient"
            + " or RedisServer, not "
            + type.getName());
  }

  private static Running running(ExtensionContext context) {
    Running running = context.getStore(NAMESPACE).get(Running.class, Running.class);
    if (running == null) {
      throw new ParameterResolutionException(
          "RealRedisExtension's server runs from the test"
              + " class's start to its end: register it on the class with @ExtendWith");
    }
    return running;
  }

  /**
   * One server (test-support's {@link RedisExtension}: choice of binary, FLUSHALL, stop) with a
   * client and a manager over it.
   */
  private static final class Running {
    final RedisExtension redis;
    final RedissonClient client;
    final LockManager locks;

    private Running(RedisExtension redis, RedissonClient client, LockManager locks) {
      this.redis = redis;
      this.client = client;
      this.locks = locks;
    }

    static Running start(ExtensionContext context) {
      RedisExtension redis = RedisExtension.emptiedBeforeEach();
      redis.beforeAll(context);
      RedissonClient client;
      try {
        Config config = new Config();
        config
            .useSingleServer()
            .setAddress(redis.uri())
            .setConnectionMinimumIdleSize(1)
            .setConnectionPoolSize(8)
            .setSubscriptionConnectionMinimumIdleSize(1)
            .setSubscriptionConnectionPoolSize(4);
        client = Redisson.create(config);
      } catch (RuntimeException | Error e) {
        redis.afterAll(context);
        throw e;
      }
      return new Running(redis, client, LockManager.redisson(client));
    }

    /** Stops all three, newest first. */
    void stop(ExtensionContext context) {
      try {
        locks.close();
      } finally {
        try {
          client.shutdown();
        } finally {
          redis.afterAll(context);
        }
      }
    }
  }
}
