package dev.concurrencysafe.examples.payara;

import dev.concurrencysafe.testing.Await;
import dev.concurrencysafe.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Micro server as a real process: the jar from Maven Central, one WAR, a free loopback
 * port, its output in a log file. {@link #close} stops it and its children and waits until they
 * are gone.
 *
 * <p>Thread-safety: not thread-safe; one per test class.
 */
final class PayaraMicro implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4); // a loaded 2-core box

  private final Process process;
  private final int port;
  private final Path log;

  private PayaraMicro(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the server with {@code war} and the given system properties; waits until it is ready. */
  static PayaraMicro start(Path payaraJar, Path war, Path workDir, Map<String, String> properties) {
    int port = RedisServer.freePort();
    Path log = workDir.resolve("payara-" + port + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx384m");
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", payaraJar.toString(), "--deploy", war.toString(),
        "--port", Integer.toString(port), "--nocluster", "--rootdir", workDir.resolve("root-" + port).toString()));
    Process process;
    try {
      Files.createDirectories(workDir);
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
    PayaraMicro server = new PayaraMicro(process, port, log);
    try {
      Await.until("Payara Micro ready on port " + port + " (log " + log + ")", START_TIMEOUT,
          () -> server.output().contains(" ready in ") || !process.isAlive());
      if (!process.isAlive() || server.output().contains("Exception while deploying")) {
        throw new IllegalStateException("Payara Micro did not deploy " + war + ":\n" + server.output());
      }
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Everything the server printed so far. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
