package dev.concurrencysafe.cdi.testing;

import dev.concurrencysafe.testing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
   * Waits (up to 5 s) for the server to drop the connections of a client that was shut down, and
   * returns how many remain: the server notices closed sockets asynchronously.
   */
  public static long otherClientsAfterShutdown(RedisServer server) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    long count = otherClients(server);
    while (count > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      count = otherClients(server);
    }
    return count;
  }

  /**
   * One command after AUTH on the same raw connection, for a server with {@code requirepass}
   * (RedisServer#command opens a connection per command). Replies: simple, error, integer, bulk.
   */
  public static String command(RedisServer server, String password, String... args) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(resp("AUTH", password));
      out.write(resp(args));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String auth = reply(in);
      if (!"OK".equals(auth)) {
        throw new IllegalStateException("AUTH failed: " + auth);
      }
      return reply(in);
    } catch (IOException e) {
      throw new IllegalStateException("command " + args[0] + " failed", e);
    }
  }

  private static byte[] resp(String... args) {
    StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
          .append(arg).append("\r\n");
    }
    return request.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String reply(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException("connection closed");
    }
    if (line.charAt(0) != '$') {
      return line.substring(1);
    }
    int length = Integer.parseInt(line.substring(1));
    if (length < 0) {
      return "";
    }
    char[] body = new char[length + 2];
    int read = 0;
    while (read < body.length) {
      int n = in.read(body, read, body.length - read);
      if (n < 0) {
        throw new IOException("connection closed");
      }
      read += n;
    }
    return new String(body, 0, length);
  }

  public static boolean exists(RedisServer server, String key) {
    return "1".equals(server.command("EXISTS", key));
  }

  public static long pttl(RedisServer server, String key) {
    return Long.parseLong(server.command("PTTL", key));
  }
}
