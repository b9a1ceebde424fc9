package dev.concurrencysafe.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One real {@code redis-server} process on a loopback port chosen free at start, with persistence
 * off. It can be stopped and started again on the same port (an outage), paused with SIGSTOP, and
 * it is always destroyed when the JVM exits, so no test leaves a server behind.
 *
 * <p>Thread-safety: instances are safe to use from several threads; lifecycle calls are
 * synchronized.
 */
public final class RedisServer implements AutoCloseable {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "redis-server-reaper"));
  }

  private final int port;
  private final List<String> extraArgs;
  private final Path workDir;
  private @Nullable Process process;

  private RedisServer(int port, List<String> extraArgs) throws IOException {
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.workDir = Files.createTempDirectory("redis-" + port + "-");
  }

  /**
   * Starts a server on a free loopback port whose Cluster bus port (port + 10000) is free too. A
   * port can be taken between the check and the server's bind: then it tries again on another.
   */
  public static RedisServer start(String... extraArgs) {
    for (int attempt = 1; ; attempt++) {
      RedisServer server;
      try {
        server = new RedisServer(freePortWithBusPort(), List.of(extraArgs));
      } catch (IOException e) {
        throw new IllegalStateException("could not start redis-server", e);
      }
      try {
        server.startProcess();
      } catch (IllegalStateException e) {
        server.close();
        if (attempt < 3 && String.valueOf(e.getMessage()).contains("Address already in use")) {
          continue;
        }
        throw e;
      }
      // Which server a test class ran on is part of its result: say it in the test output.
      System.out.println(
          "[test-server] " + ServerBinary.chosen().describe() + " on port " + server.port);
      return server;
    }
  }

  /** A free port p whose p + 10000 (a Cluster node's bus port) is free as well. */
  private static int freePortWithBusPort() {
    for (int tries = 0; tries < 50; tries++) {
      int port = freePort();
      if (port + 10000 <= 65535 && isFree(port + 10000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port p with p + 10000 free on 127.0.0.1");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The server binary this run uses: see {@link ServerBinary} for how it is chosen. */
  public static Path executable() {
    return ServerBinary.chosen().path();
  }

  /** A TCP port that was free on 127.0.0.1 a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** The OS process id of the running server. */
  public synchronized long pid() {
    return requireRunning().pid();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server (SIGKILL: no persistence, nothing is kept). */
  public synchronized void stop() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      RUNNING.remove(p);
      process = null;
      awaitPortClosed();
    }
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    stop();
    startProcess();
  }

  /** Sends SIGSTOP: the server stops answering but keeps its connections open. */
  public synchronized void pause() {
    signal("STOP");
  }

  /** Sends SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    signal("CONT");
  }

  /**
   * Sends one command over a fresh raw connection and returns the reply as text (see {@link
   * RespConnection}). Independent of any Redis client so a test can check what is in Redis without
   * trusting the code under test.
   */
  public String command(String... args) {
    return RespConnection.once(port, args);
  }

  /**
   * One field of {@code INFO section} (e.g. {@code info("memory", "used_memory")}), or null if the
   * section has no such field.
   */
  public @Nullable String info(String section, String field) {
    String prefix = field + ":";
    for (String line : command("INFO", section).split("\r?\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
    return null;
  }

  /**
   * How many times {@code command} (lower case, e.g. {@code "evalsha"}) ran, from {@code INFO
   * commandstats}; commands called inside scripts count too. For a command with subcommands ({@code
   * "config"}) the calls of all its subcommands are summed (Redis 7 and Valkey list them apart, as
   * {@code config|resetstat}).
   */
  public long commandCalls(String command) {
    return commandStats().stream()
        .filter(stat -> stat.command().equals(command))
        .mapToLong(CommandStat::calls)
        .sum();
  }

  /** Every line of {@code INFO commandstats}, parsed (see {@link CommandStat#parse}). */
  public List<CommandStat> commandStats() {
    List<CommandStat> stats = new ArrayList<>();
    for (String line : command("INFO", "commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        stats.add(CommandStat.parse(line));
      }
    }
    return stats;
  }

  /** How many clients are subscribed to {@code channel} ({@code PUBSUB NUMSUB}). */
  public long subscribers(String channel) {
    return Long.parseLong(command("PUBSUB", "NUMSUB", channel).split("\n")[1]);
  }

  /**
   * The running server's product and version from {@code INFO server}: "Valkey 8.0.1" (Valkey also
   * reports a {@code redis_version} for compatibility, 7.2.4, which is not its version) or "Redis
   * 7.0.15".
   */
  public String serverVersion() {
    String valkey = info("server", "valkey_version");
    return valkey != null ? "Valkey " + valkey : "Redis " + info("server", "redis_version");
  }

  /** Number of keys in database 0. */
  public long keyCount() {
    return Long.parseLong(command("DBSIZE"));
  }

  @Override
  public synchronized void close() {
    stop();
    deleteQuietly(workDir);
  }

  private void startProcess() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(executable().toString(), "--port", Integer.toString(port)));
    // loopback only, no persistence (its files in the work dir, deleted at close)
    cmd.addAll(List.of("--bind", "127.0.0.1", "--protected-mode", "no"));
    cmd.addAll(List.of("--save", "", "--appendonly", "no", "--dir", workDir.toString()));
    cmd.addAll(extraArgs);
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("redis.log").toFile())
              .start();
      RUNNING.add(p);
      process = p;
      awaitReady(p);
    } catch (IOException e) {
      throw new IllegalStateException("could not launch " + cmd, e);
    }
  }

  private void awaitReady(Process p) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + p.exitValue() + ": " + log());
      }
      try {
        String pong = command("PING");
        if (pong.equals("PONG") || pong.startsWith("-")) { // an error reply (e.g. NOAUTH) is up too
          return;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      sleepBriefly();
    }
    throw new IllegalStateException(
        "redis-server on port " + port + " not ready in 10 s: " + log());
  }

  private void awaitPortClosed() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      } catch (IOException closed) {
        return;
      }
      sleepBriefly();
    }
  }

  private String log() {
    try {
      return Files.readString(workDir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private void signal(String signal) {
    Signals.send(requireRunning().pid(), signal);
  }

  private Process requireRunning() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    return p;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException ignored) {
                  // a temp dir; the OS cleans it eventually
                }
              });
    } catch (IOException ignored) {
      // already gone
    }
  }
}
