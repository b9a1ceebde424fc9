package dev.concurrencysafe.cdi.testing;

import dev.concurrencysafe.testing.RedisServer;
import java.util.Arrays;

/**
 * Test helpers over a real {@link RedisServer}: what a test asserts about keys and clients.
 *
 * <p>Thread-safety: stateless.
 */
public final class Redis {

  private Redis() {}

  /** The number of client connections other than the raw one used to ask. */
  public static long otherClients(RedisServer server) {
    String list = server.command("CLIENT", "LIST");
    return Arrays.stream(list.split("\n")).filter(line -> line.startsWith("id=")).count() - 1;
  }

  public static boolean exists(RedisServer server, String key) {
    return "1".equals(server.command("EXISTS", key));
  }

  public static long pttl(RedisServer server, String key) {
    return Long.parseLong(server.command("PTTL", key));
  }
}
