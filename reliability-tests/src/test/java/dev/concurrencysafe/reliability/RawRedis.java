package dev.concurrencysafe.reliability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One persistent raw RESP connection to a Redis node, independent of Redisson and of the code under
 * test: used to inspect what is stored, to build clusters and Sentinel setups, and to send WAIT on
 * the same connection as a write. Error replies are returned as text starting with "-".
 *
 * <p>Thread-safety: calls are synchronized; one command at a time.
 */
final class RawRedis implements AutoCloseable {

  private final int port;
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawRedis(int port) {
    this.port = port;
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to 127.0.0.1:" + port, e);
    }
  }

  /** Opens a connection and sends one command. */
  static String once(int port, String... args) {
    try (RawRedis redis = new RawRedis(port)) {
      return redis.call(args);
    }
  }

  /** Sends a command; the reply as text (arrays joined by newlines, nil as "(nil)"). */
  synchronized String call(String... args) {
    return String.join("\n", callList(args));
  }

  /** Sends a command built from a list (for commands with thousands of arguments). */
  synchronized String call(List<String> args) {
    return call(args.toArray(String[]::new));
  }

  /** Sends a command; an array reply as its elements, any other reply as one element. */
  synchronized List<String> callList(String... args) {
    try {
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
            .append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      List<String> items = new ArrayList<>();
      read(items, true);
      return items;
    } catch (IOException e) {
      throw new IllegalStateException(args[0] + " failed on 127.0.0.1:" + port, e);
    }
  }

  private void read(List<String> into, boolean top) throws IOException {
    String line = readLine();
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+', ':' -> into.add(rest);
      case '-' -> into.add("-" + rest);
      case '$' -> {
        int length = Integer.parseInt(rest);
        if (length < 0) {
          into.add("(nil)");
        } else {
          byte[] data = in.readNBytes(length + 2);
          into.add(new String(data, 0, length, StandardCharsets.UTF_8));
        }
      }
      case '*' -> {
        int n = Integer.parseInt(rest);
        if (n < 0) {
          into.add("(nil)");
        }
        for (int i = 0; i < n; i++) {
          read(into, false);
        }
      }
      default -> throw new IOException("unexpected RESP type " + type + " (top=" + top + ")");
    }
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read();
        return sb.toString();
      }
      sb.append((char) c);
    }
    throw new IOException("connection closed by 127.0.0.1:" + port);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
