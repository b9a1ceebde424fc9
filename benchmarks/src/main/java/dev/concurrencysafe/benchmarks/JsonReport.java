package dev.concurrencysafe.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * docs/benchmarks.json: the same numbers as the Markdown, machine-readable. Latencies in
 * microseconds, throughput in operations per second, memory in bytes, TTLs in milliseconds. The
 * writer is a few lines for maps, lists, strings, numbers and booleans; no JSON library is among
 * the project's dependencies and this output needs none.
 *
 * <p>Thread-safety: stateless.
 */
final class JsonReport {

  private JsonReport() {}

  static String render(Results r, List<Goals.Goal> goals) {
    StringBuilder out = new StringBuilder();
    write(tree(r, goals), out, "");
    return out.append('\n').toString();
  }

  /**
   * Every number of the JSON as {@code dotted.path → text} (doubles rounded to 3 significant digits
   * or to whole numbers), for the {@code {{path}}} placeholders of the hand-written analysis.
   */
  static Map<String, String> flatten(Results r, List<Goals.Goal> goals) {
    Map<String, String> flat = new TreeMap<>();
    flatten("", tree(r, goals), flat);
    return flat;
  }

  private static void flatten(String prefix, @Nullable Object value, Map<String, String> into) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, into));
    } else if (value instanceof Double d) {
      into.put(
          prefix, String.format(Locale.ROOT, d >= 100 ? "%.0f" : d >= 10 ? "%.1f" : "%.2f", d));
    } else if (value != null && !(value instanceof List<?>)) {
      into.put(prefix, String.valueOf(value));
    }
  }

  private static Map<String, Object> tree(Results r, List<Goals.Goal> goals) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put(
        "machine",
        Map.of(
            "date",
            r.machine().date(),
            "cores",
            r.machine().cores(),
            "cpu",
            r.machine().cpu(),
            "jdk",
            r.machine().jdk(),
            "os",
            r.machine().os(),
            "redis",
            r.machine().redis(),
            "redisson",
            r.machine().redisson(),
            "smoke",
            r.machine().smoke(),
            "loadAverageAtStart",
            r.machine().loadAverageAtStart(),
            "loadAverageAtEnd",
            r.machine().loadAverageAtEnd()));
    root.put("totalSeconds", r.totalSeconds());
    root.put("rttP50Micros", r.rttP50Micros());
    root.put("uncontendedCycle", latencies(r.uncontended(), r.uncontendedLabels(), r));
    root.put("refusedFailFast", latencies(r.refused(), r.refusedLabels(), r));
    root.put("contention", contention(r));
    Map<String, Object> throughput = new LinkedHashMap<>();
    double rlockOps = Results.required(r.throughput(), "rlock").opsPerSecond();
    r.throughput()
        .forEach(
            (id, s) ->
                throughput.put(
                    id,
                    Map.of(
                        "opsPerSecond",
                        s.opsPerSecond(),
                        "error",
                        s.error(),
                        "vsRlock",
                        s.opsPerSecond() / rlockOps)));
    root.put("throughput32Threads", throughput);
    Map<String, Object> interleaved = new LinkedHashMap<>();
    double rlockMedian = Results.required(r.interleavedThroughput(), "rlock").medianOpsPerSecond();
    r.interleavedThroughput()
        .forEach(
            (id, s) ->
                interleaved.put(
                    id,
                    Map.of(
                        "medianOpsPerSecond",
                        s.medianOpsPerSecond(),
                        "minOpsPerSecond",
                        s.minOpsPerSecond(),
                        "maxOpsPerSecond",
                        s.maxOpsPerSecond(),
                        "windows",
                        s.windows(),
                        "vsRlock",
                        s.medianOpsPerSecond() / rlockMedian)));
    root.put("throughput32ThreadsInterleaved", interleaved);
    root.put("commandsPerCycle", commands(r.cycleCommands()));
    root.put("commandsPerRefusal", commands(r.refusedCommands()));
    root.put("memory", memory(r.memory()));
    root.put("cpuPerCycle", cpu(r));
    root.put("interceptor", r.interceptorNote());
    root.put(
        "goals",
        goals.stream()
            .map(
                g ->
                    Map.of(
                        "measure",
                        g.measure(),
                        "goal",
                        g.goal(),
                        "measured",
                        g.measured(),
                        "met",
                        g.met()))
            .toList());
    return root;
  }

  private static Map<String, Object> contention(Results r) {
    Map<String, Object> contention = new LinkedHashMap<>();
    r.contention()
        .forEach(
            (id, o) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("threads", o.threads());
              row.put("rounds", o.rounds());
              row.put("handovers", o.handovers());
              row.put("bodiesPerSecond", o.bodiesPerSecond());
              row.put("gapP50Micros", o.gaps().p50Micros());
              row.put("gapP99Micros", o.gaps().p99Micros());
              row.put("gapMaxMicros", o.gaps().maxMicros());
              row.put("gapP50InRtt", o.gaps().p50Micros() / r.rttP50Micros());
              row.put("gapP99InRtt", o.gaps().p99Micros() / r.rttP50Micros());
              row.put("lockCommandsPerBody", o.lockCommandsPerBody());
              row.put("overlaps", o.overlaps());
              row.put("timeouts", o.timeouts());
              ContentionHarness.Breakdown b = o.breakdown();
              if (b != null) {
                row.put(
                    "breakdown",
                    Map.of(
                        "bodyEndToReleaseReturnedP50Micros", b.release().p50Micros(),
                        "bodyEndToReleaseReturnedP99Micros", b.release().p99Micros(),
                        "bodyEndToNotificationP50Micros", b.notified().p50Micros(),
                        "bodyEndToNotificationP99Micros", b.notified().p99Micros(),
                        "notificationToNextBodyP50Micros", b.wakeToBody().p50Micros(),
                        "notificationToNextBodyP99Micros", b.wakeToBody().p99Micros(),
                        "handovers", b.release().count()));
              }
              contention.put(id, row);
            });
    return contention;
  }

  private static Map<String, Object> memory(MemoryProbe.Outcome m) {
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("keys", m.keys());
    memory.put("threads", m.threads());
    memory.put("seconds", m.seconds());
    memory.put("heapBeforeBytes", m.heapBeforeBytes());
    memory.put("heapRightAfterBytes", m.heapRightAfterBytes());
    memory.put("heapAfterBytes", m.heapAfterBytes());
    memory.put("heapGrowthBytes", m.heapGrowthBytes());
    memory.put("redisKeysLeft", m.redisKeysLeft());
    memory.put("keysWithoutExpiry", m.keysWithoutExpiry());
    memory.put("maxTtlMillis", m.maxTtlMillis());
    memory.put("boundMillis", m.boundMillis());
    memory.put(
        "redisUsedMemoryGrowthBytes", m.redisMemoryAfterBytes() - m.redisMemoryBeforeBytes());
    memory.put("redisUsedMemoryBeforeBytes", m.redisMemoryBeforeBytes());
    memory.put("redisUsedMemoryAfterBytes", m.redisMemoryAfterBytes());
    memory.put("redisSettledMillis", m.redisSettledMillis());
    memory.put("retainedKeys", m.retained().keys());
    memory.put("retainedKeysLeft", m.retained().keysLeft());
    memory.put("retainedBytesPerKey", m.retained().bytesPerKey());
    return memory;
  }

  private static Map<String, Object> cpu(Results r) {
    Map<String, Object> cpu = new LinkedHashMap<>();
    r.cpu()
        .forEach(
            (id, c) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("label", c.label());
              row.put("processCpuMicros", c.processMicros());
              row.put("callerCpuMicros", c.callerMicros());
              row.put("wallMicros", c.wallMicros());
              row.put("contextSwitches", c.switchesPerCycle());
              cpu.put(id, row);
            });
    return cpu;
  }

  private static Map<String, Object> latencies(
      Map<String, Distribution> byId, Map<String, String> labels, Results r) {
    Map<String, Object> rows = new LinkedHashMap<>();
    Distribution rlock = Results.required(byId, "rlock");
    Distribution rtt = Results.required(byId, "rtt");
    byId.forEach(
        (id, d) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("label", labels.getOrDefault(id, id));
          row.put("samples", d.count());
          row.put("p50Micros", d.p50Micros());
          row.put("p99Micros", d.p99Micros());
          row.put("meanMicros", d.meanMicros());
          row.put("p50VsRlock", d.p50Micros() / rlock.p50Micros());
          row.put("p99VsRlock", d.p99Micros() / rlock.p99Micros());
          row.put("p50InRtt", d.p50Micros() / rtt.p50Micros());
          rows.put(id, row);
        });
    return rows;
  }

  private static Map<String, Object> commands(Map<String, CommandCounter.Count> byId) {
    Map<String, Object> rows = new LinkedHashMap<>();
    byId.forEach(
        (id, c) ->
            rows.put(
                id,
                Map.of(
                    "operations",
                    c.operations(),
                    "clientIssuedPerOp",
                    c.clientIssuedPerOp(),
                    "insideScriptsPerOp",
                    c.insideScriptsPerOp(),
                    "allPerOpFromCommandstats",
                    c.allPerOp(),
                    "perCommand",
                    c.perCommandPerOp(),
                    "redisMicrosExecutingPerOp",
                    c.serverMicrosPerOp())));
    return rows;
  }

  private static void write(@Nullable Object value, StringBuilder out, String indent) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      // Map.of has no iteration order: sort such maps so the file is stable from run to run.
      Map<?, ?> ordered =
          map instanceof LinkedHashMap || map instanceof TreeMap ? map : new TreeMap<>(map);
      out.append("{\n");
      boolean first = true;
      for (Map.Entry<?, ?> entry : ordered.entrySet()) {
        if (!first) {
          out.append(",\n");
        }
        first = false;
        out.append(indent).append("  ");
        string(String.valueOf(entry.getKey()), out);
        out.append(": ");
        write(entry.getValue(), out, indent + "  ");
      }
      out.append('\n').append(indent).append('}');
    } else if (value instanceof List<?> list) {
      out.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        out.append(indent).append("  ");
        write(list.get(i), out, indent + "  ");
        out.append(i + 1 < list.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value == null) {
      out.append("null");
    } else {
      string(value.toString(), out);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
