package dev.concurrencysafe.test;

import dev.concurrencysafe.LockManager;
import dev.concurrencysafe.testing.RedisServer;
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
 * path, a name on the PATH, or {@code embedded}). It listens on a free loopback port, starts
 * before the class's first test and is stopped, with the client and the manager, after its last.
 * The database is emptied ({@code FLUSHALL}) before each test, so tests do not see each other's
 * locks or cooldowns; nested test classes share their enclosing class's server.
 *
 * <p>Thread-safety: the injected manager and client are thread-safe; the lifecycle is JUnit's.
 */
public final class RealRedisExtension implements BeforeAllCallback, BeforeEachCallback,
    ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealRedisExtension.class);

  /** For {@code @ExtendWith}. */
  public RealRedisExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    running(context).server.command("FLUSHALL");
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
      return running.server;
    }
    throw new ParameterResolutionException("RealRedisExtension injects LockManager, RedissonClient"
        + " or RedisServer, not " + type.getName());
  }

  /** The class-level server, started on first use and closed by JUnit after the class. */
  private static Running running(ExtensionContext context) {
    ExtensionContext classContext = outermostClass(context);
    return classContext.getStore(NAMESPACE)
        .computeIfAbsent(Running.class, ignored -> Running.start(), Running.class);
  }

  private static ExtensionContext outermostClass(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getParent().isPresent()
        && classContext.getParent().get().getTestClass().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext;
  }

  /** One server with its client and manager; closing stops all three, newest first. */
  private static final class Running implements AutoCloseable {
    final RedisServer server;
    final RedissonClient client;
    final LockManager locks;

    private Running(RedisServer server, RedissonClient client, LockManager locks) {
      this.server = server;
      this.client = client;
      this.locks = locks;
    }

    static Running start() {
      RedisServer server = RedisServer.start();
      RedissonClient client;
      try {
        Config config = new Config();
        config.useSingleServer().setAddress(server.uri())
            .setConnectionMinimumIdleSize(1).setConnectionPoolSize(8)
            .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(4);
        client = Redisson.create(config);
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
      return new Running(server, client, LockManager.redisson(client));
    }

    @Override
    public void close() {
      try {
        locks.close();
      } finally {
        try {
          client.shutdown();
        } finally {
          server.close();
        }
      }
    }
  }
}
