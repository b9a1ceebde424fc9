package dev.concurrencysafe.reliability;

import dev.concurrencysafe.testing.RedisServer;
import dev.concurrencysafe.testing.RespConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * One master, one replica and three Sentinels on loopback, all real processes from {@link
 * RedisServer#executable()}; fast failure detection (down-after 1 s). Everything is killed on
 * close.
 *
 * <p>Thread-safety: not thread-safe; one test at a time.
 */
final class SentinelSetup implements AutoCloseable {

  static final String MASTER_NAME = "mymaster";
  private static final java.util.Set<Process> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    // A backstop like RedisServer's: no Sentinel outlives the test JVM.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "sentinel-reaper"));
  }

  final RedisServer master;
  final RedisServer replica;
  final List<Integer> sentinelPorts = new ArrayList<>();
  private final List<Process> sentinels = new ArrayList<>();
  private final Path dir;

  /** Starts the setup; {@code masterArgs} are extra redis-server arguments for the master. */
  SentinelSetup(String... masterArgs) throws IOException {
    dir = Files.createTempDirectory("sentinels-");
    master = RedisServer.start(masterArgs);
    replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
    try {
      for (int i = 0; i < 3; i++) {
        startSentinel(i);
      }
      await(
          "replica in sync",
          () -> replica.command("INFO", "replication").contains("master_link_status:up"));
      String replicaPort = Integer.toString(replica.port());
      for (int port : sentinelPorts) {
        await(
            "sentinel " + port + " sees the replica and the other sentinels",
            () -> {
              String replicas = RespConnection.once(port, "SENTINEL", "REPLICAS", MASTER_NAME);
              String peers = RespConnection.once(port, "SENTINEL", "SENTINELS", MASTER_NAME);
              return replicas.contains(replicaPort) && peers.split("\nport\n", -1).length - 1 >= 2;
            });
      }
    } catch (RuntimeException | IOException e) {
      close();
      throw e;
    }
  }

  private void startSentinel(int i) throws IOException {
    int port = RedisServer.freePort();
    Path conf = dir.resolve("sentinel-" + i + ".conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "port " + port,
            "bind 127.0.0.1",
            "protected-mode no",
            "dir " + dir,
            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
            "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
            "sentinel failover-timeout " + MASTER_NAME + " 2000",
            "sentinel parallel-syncs " + MASTER_NAME + " 1",
            ""));
    Process process =
        new ProcessBuilder(RedisServer.executable().toString(), conf.toString(), "--sentinel")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sentinel-" + i + ".log").toFile())
            .start();
    sentinels.add(process);
    RUNNING.add(process);
    sentinelPorts.add(port);
    await(
        "sentinel " + port + " up",
        () -> {
          try {
            return RespConnection.once(port, "PING").equals("PONG");
          } catch (IllegalStateException notYet) {
            return false;
          }
        });
  }

  /** A Redisson client in Sentinel mode, default settings otherwise. */
  RedissonClient client() {
    Config config = new Config();
    var sentinel = config.useSentinelServers().setMasterName(MASTER_NAME);
    sentinelPorts.forEach(port -> sentinel.addSentinelAddress("redis://127.0.0.1:" + port));
    return Redisson.create(config);
  }

  /** Waits until every Sentinel names {@code port} as the master. */
  void awaitMasterIs(int port) {
    await(
        "sentinels promote port " + port,
        () ->
            sentinelPorts.stream()
                .allMatch(
                    s ->
                        RespConnection.once(s, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                            .endsWith("\n" + port)));
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // a process still starting
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    for (Process process : sentinels) {
      process.destroyForcibly();
    }
    for (Process process : sentinels) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      RUNNING.remove(process);
    }
    master.close();
    if (replica.isRunning()) {
      replica.resume();
    }
    replica.close();
  }
}
