package dev.concurrencysafe.cdi.testing;

import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Test helpers over a real {@link RedisServer}: what a test asserts about keys and clients.
 *
 * <p>Thread-safety: stateless.
 */
public final class Redis {

  private Redis() {}

  /** The number of client connections other than the raw one used to ask. */
  public static long otherClients(RedisServer server) {
    return countClients(server.command("CLIENT", "LIST"));
  }

  /** {@link #otherClients(RedisServer)} on a server with {@code requirepass}. */
  public static long otherClients(RedisServer server, String password) {
    return countClients(command(server, password, "CLIENT", "LIST"));
  }

  private static long countClients(String list) {
    return Arrays.stream(list.split("\n")).filter(line -> line.startsWith("id=")).count() - 1;
  }

  /**
   * Waits (up to 5 s) for the server to drop the connections of a client that was shut down (it
   * notices closed sockets asynchronously), and returns how many remain: 0, or the wait fails.
   */
  public static long otherClientsAfterShutdown(RedisServer server) {
    return afterShutdown(() -> otherClients(server));
  }

  /** {@link #otherClientsAfterShutdown(RedisServer)} on a server with {@code requirepass}. */
  public static long otherClientsAfterShutdown(RedisServer server, String password) {
    return afterShutdown(() -> otherClients(server, password));
  }

  private static long afterShutdown(LongSupplier otherClients) {
    Await.until(
        "the server to drop the closed client's connections",
        Duration.ofSeconds(5),
        () -> otherClients.getAsLong() == 0);
    return otherClients.getAsLong();
  }

  /**
   * One command after AUTH on the same connection, for a server with {@code requirepass} ({@link
   * RedisServer#command} opens a connection per command, without AUTH).
   */
  public static String command(RedisServer server, String password, String... args) {
    try (RespConnection connection = new RespConnection(server.port())) {
      String auth = connection.call("AUTH", password);
      if (!"OK".equals(auth)) {
        throw new IllegalStateException("AUTH failed: " + auth);
      }
      return connection.call(args);
    }
  }

  public static boolean exists(RedisServer server, String key) {
    return "1".equals(server.command("EXISTS", key));
  }

  public static long pttl(RedisServer server, String key) {
    return Long.parseLong(server.command("PTTL", key));
  }
}
