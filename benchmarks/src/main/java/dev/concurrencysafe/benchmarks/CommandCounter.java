package dev.concurrencysafe.benchmarks;

import dev.concurrencysafe.testing.CommandStat;
import dev.concurrencysafe.testing.RedisServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Measure 5: how many Redis commands one operation costs. Totals per command come from {@code INFO
 * commandstats} deltas (after {@code CONFIG RESETSTAT}); they include commands that scripts call
 * inside Redis. Which of them the client itself sent, and which ran inside a script, comes from a
 * {@code MONITOR} connection open during the same run: Redis tags script-issued commands with
 * {@code [0 lua]}. Redisson's connection keep-alive PINGs and the harness's own commands are left
 * out.
 *
 * <p>Thread-safety: not thread-safe; one count at a time.
 */
final class CommandCounter {

  /**
   * Commands per operation, and the time Redis spent executing the client-issued ones (a script's
   * time includes the commands it calls), from commandstats' {@code usec}.
   */
  record Count(
      int operations,
      double clientIssuedPerOp,
      double insideScriptsPerOp,
      double allPerOp,
      Map<String, Double> perCommandPerOp,
      double serverMicrosPerOp) {}

  private static final Set<String> HARNESS_COMMANDS =
      Set.of("ping", "info", "config", "echo", "monitor", "command", "hello", "client");
  private static final String END_MARKER = "concurrency-safe-bench-monitor-end";

  private final RedisServer server;

  CommandCounter(RedisServer server) {
    this.server = server;
  }

  Count count(Variant.Operation operation, int operations) throws Exception {
    // warm: script cache loaded, connections open, so the count is the steady state
    for (int i = 0; i < 10; i++) {
      operation.run();
    }
    server.command("CONFIG", "RESETSTAT");
    int clientIssued = 0;
    int insideScripts = 0;
    Set<String> clientCommands = new java.util.HashSet<>();
    try (Socket monitor = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      monitor.setSoTimeout(30_000);
      OutputStream out = monitor.getOutputStream();
      out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(monitor.getInputStream(), 1 << 16);
      String ok = readLine(in);
      if (!ok.equals("+OK")) {
        throw new IllegalStateException("MONITOR answered " + ok);
      }
      for (int i = 0; i < operations; i++) {
        operation.run();
      }
      server.command("ECHO", END_MARKER);
      while (true) {
        String line = readLine(in);
        if (line.contains(END_MARKER)) {
          break;
        }
        String command = commandName(line);
        if (HARNESS_COMMANDS.contains(command)) {
          continue;
        }
        if (line.contains(" lua] ")) {
          insideScripts++;
        } else {
          clientIssued++;
          clientCommands.add(command);
        }
      }
    }
    Map<String, Double> perCommand = commandStats(operations, CommandStat::calls);
    double all = perCommand.values().stream().mapToDouble(Double::doubleValue).sum();
    double serverMicros = serverMicros(operation, operations, clientCommands);
    return new Count(
        operations,
        (double) clientIssued / operations,
        (double) insideScripts / operations,
        all,
        perCommand,
        serverMicros);
  }

  /**
   * Redis microseconds executing the client's commands per operation, from a second pass without
   * MONITOR.
   */
  private double serverMicros(
      Variant.Operation operation, int operations, Set<String> clientCommands) throws Exception {
    // Feeding a monitor happens inside a script's execution for every command it calls, which
    // would inflate the scripts' usec.
    server.command("CONFIG", "RESETSTAT");
    for (int i = 0; i < operations; i++) {
      operation.run();
    }
    return commandStats(operations, CommandStat::usec).entrySet().stream()
        .filter(e -> clientCommands.contains(e.getKey()))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** Zeroes Redis's command statistics. */
  void reset() {
    server.command("CONFIG", "RESETSTAT");
  }

  /** Calls since {@link #reset()} of the given commands (lower case), from INFO commandstats. */
  long callsSinceReset(Set<String> commands) {
    return Math.round(
        commandStats(1, CommandStat::calls).entrySet().stream()
            .filter(e -> commands.contains(e.getKey()))
            .mapToDouble(Map.Entry::getValue)
            .sum());
  }

  /**
   * One field of {@code INFO commandstats} (calls or usec) per operation, by command as the server
   * names it ({@code config|resetstat} on Redis 7 and Valkey), harness commands left out.
   */
  private Map<String, Double> commandStats(int operations, ToLongFunction<CommandStat> field) {
    Map<String, Double> perCommand = new TreeMap<>();
    for (CommandStat stat : server.commandStats()) {
      if (!HARNESS_COMMANDS.contains(stat.command())) {
        perCommand.merge(stat.name(), (double) field.applyAsLong(stat) / operations, Double::sum);
      }
    }
    return perCommand;
  }

  /** The command of a MONITOR line {@code +1700000000.1 [0 127.0.0.1:5] "evalsha" "..."}. */
  static String commandName(String line) {
    int open = line.indexOf("] \"");
    if (open < 0) {
      return "";
    }
    int start = open + 3;
    int end = line.indexOf('"', start);
    return line.substring(start, end < 0 ? line.length() : end).toLowerCase(java.util.Locale.ROOT);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(256);
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read();
        return line.toString();
      }
      line.append((char) c);
    }
    throw new IOException("MONITOR connection closed");
  }
}
