package dev.concurrencysafe.examples.quarkus;

import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
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

  /**
   * Client connections other than the one asking (a Redisson client holds several). Works on either
   * copy of this class: it reads the address from the system property.
   */
  static long otherClients() {
    String address = System.getProperty(ADDRESS);
    if (address == null) {
      throw new IllegalStateException("not started");
    }
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return RespConnection.once(port, "CLIENT", "LIST")
            .lines()
            .filter(line -> line.startsWith("id="))
            .count()
        - 1;
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
