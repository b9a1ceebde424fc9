package dev.concurrencysafe.benchmarks;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two table shapes the Markdown report repeats: latencies against raw RLock and the RTT floor,
 * and the Redis commands per operation.
 *
 * <p>Thread-safety: stateless.
 */
final class MarkdownTables {

  private MarkdownTables() {}

  static void latencies(
      StringBuilder md, Map<String, Distribution> byId, Map<String, String> labels) {
    Distribution rlock = Results.required(byId, "rlock");
    Distribution rtt = Results.required(byId, "rtt");
    md.append(
        "| variant | samples | p50 µs | p99 µs | mean µs | p50 vs RLock | p99 vs RLock"
            + " | p50 in RTT |\n|---|---|---|---|---|---|---|---|\n");
    byId.forEach(
        (id, d) ->
            md.append(
                f(
                    "| %s | %d | %.1f | %.1f | %.1f | %.3f× | %.3f× | %.2f |\n",
                    labels.getOrDefault(id, id),
                    d.count(),
                    d.p50Micros(),
                    d.p99Micros(),
                    d.meanMicros(),
                    d.p50Micros() / rlock.p50Micros(),
                    d.p99Micros() / rlock.p99Micros(),
                    d.p50Micros() / rtt.p50Micros())));
    md.append('\n');
  }

  static void commands(StringBuilder md, String what, Map<String, CommandCounter.Count> byId) {
    md.append(
        f(
            "| %s | client-issued | inside scripts | all (commandstats) | Redis µs"
                + " executing | by command |\n|---|---|---|---|---|---|\n",
            what));
    byId.forEach(
        (id, c) ->
            md.append(
                f(
                    "| %s | %.2f | %.2f | %.2f | %.1f | %s |\n",
                    id,
                    c.clientIssuedPerOp(),
                    c.insideScriptsPerOp(),
                    c.allPerOp(),
                    c.serverMicrosPerOp(),
                    c.perCommandPerOp().entrySet().stream()
                        .map(e -> f("%s %.2f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")))));
    md.append('\n');
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
