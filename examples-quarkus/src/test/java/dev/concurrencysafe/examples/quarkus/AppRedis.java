package dev.concurrencysafe.examples.quarkus;

import dev.concurrencysafe.testing.RedisServer;
import org.jspecify.annotations.Nullable;

/**
 * A redis-server for a QuarkusUnitTest application, started and stopped by the test's before-all
 * and after-all customizers. QuarkusUnitTest loads the test class a second time inside the
 * application, so a server in a static field would be started twice and stopped once; its address
 * reaches the application as the system property {@value #ADDRESS} (a config source).
 *
 * <p>Thread-safety: JUnit calls start and stop from one thread.
 */
final class AppRedis {

  /** The system property (and config key) holding the server's address. */
  static final String ADDRESS = "example.redis.address";

  private static @Nullable RedisServer server;

  private AppRedis() {}

  static void start() {
    RedisServer started = RedisServer.start();
    server = started;
    System.setProperty(ADDRESS, started.uri());
  }

  static void stop() {
    System.clearProperty(ADDRESS);
    RedisServer started = server;
    server = null;
    if (started != null) {
      started.close();
    }
  }
}
