package dev.concurrencysafe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concurrencysafe.testing.ServerBinary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GrantWorker} JVM started by a test: commands in, lines out; the test kills it ({@link
 * #kill}) after each case.
 *
 * <p>Thread-safety: thread-safe.
 */
final class GrantWorkerProcess {

  static final Duration STEP = GrantProcessCases.STEP;

  final String id;
  private final Process process;
  private final Writer in;
  private final List<String> lines = new ArrayList<>();

  GrantWorkerProcess(String id, String addresses) throws IOException {
    this.id = id;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m"));
    String server = System.getProperty(ServerBinary.PROPERTY);
    if (server != null) {
      command.add("-D" + ServerBinary.PROPERTY + "=" + server);
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            GrantWorker.class.getName(),
            addresses,
            id));
    process = new ProcessBuilder(command).redirectErrorStream(true).start();
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (var out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException ended) {
                // the process was killed
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  void send(String command) throws IOException {
    in.write(command + "\n");
    in.flush();
  }

  String expect(String prefix) throws InterruptedException {
    return expect(prefix, STEP);
  }

  /** The first line not yet matched that starts with {@code prefix}; fails on an error line. */
  String expect(String prefix, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          if (line.startsWith("error")) {
            throw new AssertionError(id + ": " + lines);
          }
          if (line.startsWith(prefix)) {
            lines.set(i, "(seen) " + line); // each line answers one expectation
            return line;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError(id + ": no line '" + prefix + "' in " + lines);
        }
        lines.wait(left);
      }
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }

  void kill() {
    process.destroyForcibly(); // SIGKILL
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
