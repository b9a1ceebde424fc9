package dev.concurrencysafe.examples.payara;

import dev.concurrencysafe.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An application server as a real process (Payara Micro, WildFly): one command, its output in a log
 * file, started and awaited until a line says it is ready. {@link #close} stops it and every
 * process it started (a launch script's JVM too) and waits until they are gone.
 *
 * <p>Thread-safety: not thread-safe; one per test class.
 */
public final class ServerProcess implements AutoCloseable {

  /** Generous: on a 2-core box at load 40 Payara Micro 6 took 280 s to start (68 s at load 2). */
  public static final Duration START_TIMEOUT = Duration.ofMinutes(8);

  private final String name;
  private final Process process;
  private final Path log;
  private final Duration startUp;

  private ServerProcess(String name, Process process, Path log, Duration startUp) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.startUp = startUp;
  }

  /**
   * Runs {@code command} with {@code environment} added, output to {@code log}, and waits until
   * {@code ready} holds for the output; fails (and stops the process) if it exits first, if {@code
   * failed} holds for the output, or after {@link #START_TIMEOUT}.
   */
  public static ServerProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path log,
      Predicate<String> ready,
      Predicate<String> failed) {
    long started = System.nanoTime();
    Process process;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
    ServerProcess server = new ServerProcess(name, process, log, Duration.ZERO);
    try {
      Await.until(
          name + " ready (log " + log + ")",
          START_TIMEOUT,
          () -> !process.isAlive() || ready.test(server.output()));
      String output = server.output();
      if (!process.isAlive() || failed.test(output)) {
        throw new IllegalStateException(
            name + " did not start as expected (log " + log + "):\n" + output);
      }
      return new ServerProcess(name, process, log, Duration.ofNanos(System.nanoTime() - started));
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** From the process's start until the ready line. */
  public Duration startUp() {
    return startUp;
  }

  /** The process and every process it started, as they are now. */
  public List<ProcessHandle> processes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
  }

  /** Everything the server printed so far. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Stops the server: SIGTERM to the JVMs first (a launch script would not pass it on), so they
   * shut down cleanly; whatever is still alive after a minute is killed.
   */
  @Override
  public void close() {
    List<ProcessHandle> all = processes();
    List<ProcessHandle> children = all.subList(1, all.size());
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      for (ProcessHandle handle : all) {
        try {
          handle.onExit().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          handle.destroyForcibly();
        }
      }
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      all.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
