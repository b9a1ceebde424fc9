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
    JsonWriter.write(tree(r, goals), out, "");
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
    root.put("throughput32Threads", throughput(r));
    root.put("throughput32ThreadsInterleaved", interleaved(r));
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

  private static Map<String, Object> throughput(Results r) {
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
    return throughput;
  }

  private static Map<String, Object> interleaved(Results r) {
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
    return interleaved;
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
              row.put("callerAllocatedBytes", c.callerBytes());
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
}
