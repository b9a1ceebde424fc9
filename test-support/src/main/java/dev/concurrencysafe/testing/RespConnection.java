package dev.concurrencysafe.testing;

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
 * One raw RESP connection to a Redis node on loopback, independent of Redisson and of the code
 * under test: to inspect what is stored, to build Sentinel and Cluster setups, and to send a
 * command on the same connection as an earlier one (WAIT after a write, commands after AUTH).
 * Replies come back as text: arrays flattened and joined by newlines, nil as {@code (nil)}, errors
 * starting with {@code -}.
 *
 * <p>Thread-safety: calls are synchronized; one command at a time.
 */
public final class RespConnection implements AutoCloseable {

  private final int port;
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RespConnection(int port) {
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

  /** Opens a connection, sends one command and closes it. */
  public static String once(int port, String... args) {
    try (RespConnection connection = new RespConnection(port)) {
      return connection.call(args);
    }
  }

  /** Sends a command and returns its reply as text. */
  public synchronized String call(String... args) {
    try {
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request
            .append('$')
            .append(arg.getBytes(StandardCharsets.UTF_8).length)
            .append("\r\n")
            .append(arg)
            .append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      List<String> items = new ArrayList<>();
      read(items);
      return String.join("\n", items);
    } catch (IOException e) {
      throw new IllegalStateException(args[0] + " failed on 127.0.0.1:" + port, e);
    }
  }

  /** Sends a command built from a list (for commands with thousands of arguments). */
  public String call(List<String> args) {
    return call(args.toArray(String[]::new));
  }

  private void read(List<String> into) throws IOException {
    String line = readLine();
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+', ':' -> into.add(rest);
      case '-' -> into.add(line);
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
          read(into);
        }
      }
      default -> throw new IOException("unexpected RESP type " + type);
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
