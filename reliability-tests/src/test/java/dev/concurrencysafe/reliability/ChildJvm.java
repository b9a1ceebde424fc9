package dev.concurrencysafe.reliability;

import dev.concurrencysafe.testing.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link ChildMain} with this JVM's java binary and class path. Coordination is
 * by lines: the child prints lines on stdout, the test answers on stdin. Every child is killed when
 * closed and, as a backstop, when this JVM exits.
 *
 * <p>Thread-safety: safe to use from several threads.
 */
final class ChildJvm implements AutoCloseable {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "child-jvm-reaper"));
  }

  private final Process process;
  private final PrintWriter stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();

  private final Path stderr;

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::pump, "child-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code ChildMain args...}; its stderr goes to a temporary file, quoted on failure. */
  static ChildJvm start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    command.addAll(List.of(args));
    try {
      Path stderr = Files.createTempFile("child-jvm-", ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      RUNNING.add(process);
      return new ChildJvm(process, stderr);
    } catch (IOException e) {
      throw new IllegalStateException("could not start child JVM " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the next line starting with {@code prefix}, skipping others; returns the rest. */
  String expect(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new AssertionError(
              "child "
                  + pid()
                  + " did not print '"
                  + prefix
                  + "' within "
                  + timeout
                  + " (alive="
                  + process.isAlive()
                  + "); it printed: "
                  + transcript()
                  + "; stderr: "
                  + stderrTail());
        }
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  void send(String line) {
    stdin.println(line);
  }

  /** kill -9: the JVM gets no chance to release anything. */
  void kill9() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGSTOP: every thread of the child freezes, sockets stay open. */
  void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  void resume() {
    signal("CONT");
  }

  int awaitExit() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new AssertionError("child " + pid() + " did not exit");
      }
      RUNNING.remove(process);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      signal("CONT"); // a stopped process ignores SIGKILL until continued on some kernels' tools
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RUNNING.remove(process);
  }

  /** The last few KB the child wrote to stderr. */
  String stderrTail() {
    try {
      String text = Files.readString(stderr);
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private synchronized String transcript() {
    return String.join(" | ", transcript);
  }

  private void pump() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (this) {
          if (transcript.size() < 50) {
            transcript.add(line);
          }
        }
        lines.add(line);
      }
    } catch (IOException closed) {
      // the child is gone
    }
  }

  private void signal(String name) {
    if (process.isAlive()) {
      Signals.send(process.pid(), name);
    }
  }
}
